import { mergeHost, packageList, releaseInput, seedResultInput } from "@sponge/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { claimRelease } from "../auth/principal.js";
import { requireScope } from "../http/guards.js";
import { readJson } from "../http/read-body.js";
import { limitBody } from "../http/request-body.js";
import { sendJson } from "../http/respond.js";
import { appendLogs } from "../releases/logs.js";
import { changeRelease } from "../releases/release-writer.js";
import { writeContext } from "./write-context.js";

/**
 * The original Sponge API, so its scripts keep working (the port aside):
 * `POST /release`, `POST /release/:id/packages`, `POST /results`.
 */
export function seedRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const write = requireScope(ctx, "write");
  const body = limitBody(ctx.config.maxBodyBytes);

  app.post("/release", write, body, async (c) => {
    const input = await readJson(c, releaseInput);
    claimRelease(c.get("principal"), input);
    const result = await ctx.store.perform("createOrMerge", writeContext(ctx, c.get("principal")), {
      input,
      source: "seed",
    });
    if (result.created) ctx.metrics.releases.inc({ source: "seed" });
    return sendJson(result.doc, result.created ? 201 : 200, {
      Location: `/api/releases/${result.id}`,
    });
  });

  app.post("/release/:id/packages", write, body, async (c) => {
    const id = c.req.param("id");
    const packages = await readJson(c, z.union([packageList, z.object({ packages: packageList })]), []);
    const list = Array.isArray(packages) ? packages : packages.packages;
    const result = await ctx.store.perform("update", writeContext(ctx, c.get("principal")), {
      id,
      input: { packages: list, extra: {} },
      force: false,
    });
    return sendJson(result.doc, 201);
  });

  app.post("/results", write, body, async (c) => {
    const result = await readJson(c, seedResultInput);
    const lines = result.log === undefined || result.log === null ? [] : [result.log].flat();
    // The host's result and its log lines commit together, so this one runs in the store's own queue.
    const written = await ctx.store.write(async (sql) => {
      const changed = await changeRelease(
        sql,
        writeContext(ctx, c.get("principal")),
        result.release_id,
        (release) => {
          mergeHost(release, {
            name: result.host,
            package: result.package,
            status: result.status ?? (result.success === false ? "failed" : "succeeded"),
            message: result.message,
            started_at: result.started_at,
            finished_at: result.finished_at,
          });
        },
      );
      await appendLogs(
        sql,
        result.release_id,
        lines
          .filter((line): line is string => typeof line === "string")
          .map((message) => ({ message, host: result.host })),
        ctx.now(),
      );
      return changed;
    });
    return sendJson(written.doc, 201);
  });

  return app;
}
