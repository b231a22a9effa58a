import { tokenCreateInput } from "@sponge/core";
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.js";
import { notFound, quoted } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { readJson } from "../http/read-body.js";
import { limitBody } from "../http/request-body.js";
import { createToken, deleteToken, listTokens } from "../store/tokens.js";

/** Admin routes for API tokens. The plain token is returned once, at creation. */
export function tokenRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = requireScope(ctx, "admin");

  app.post("/api/tokens", admin, limitBody(ctx.config.maxBodyBytes), async (c) => {
    const input = await readJson(c, tokenCreateInput);
    const token = await ctx.store.write((sql) => createToken(sql, input.scope, input.name, ctx.now()));
    ctx.auth.tokensChanged();
    return c.json(token, 201, { "Cache-Control": "no-store" });
  });

  app.get("/api/tokens", admin, async (c) => c.json({ tokens: await listTokens(ctx.store.reader) }));

  app.delete("/api/tokens/:id", admin, async (c) => {
    const id = c.req.param("id");
    const deleted = await ctx.store.write((sql) => deleteToken(sql, id));
    if (!deleted) throw notFound(`token ${quoted(id)}`);
    ctx.auth.tokensChanged();
    return c.body(null, 204);
  });

  return app;
}
