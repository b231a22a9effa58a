import { text } from "@sponge/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { ownsRepository } from "../auth/principal.js";
import { forbidden, notFound, quoted } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { limitParam } from "../http/query-params.js";
import { validate } from "../http/read-body.js";
import { decodeKeys, encodeKeys } from "../http/respond.js";
import { currentVersion } from "../store/release-reads.js";
import { loadById } from "../store/release-rows.js";
import {
  lastRemoval,
  listRemovals,
  type RemovalCursor,
  type RemovalRecord,
  removePackages,
} from "../store/removals.js";
import { currentQuery } from "./read-routes.js";

/**
 * `DELETE /api/packages/:name/current`: records that a package was taken out of an environment (a service
 * decommissioned, an environment torn down). It has no current version there until a deployment that
 * finishes later; its history stays. An OIDC caller may remove only what its own repository deployed.
 * `GET /api/removals` lists every removal, newest first.
 */
export function removalRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const write = requireScope(ctx, "write");
  const read = requireScope(ctx, "read");

  app.delete("/api/packages/:name{.+}/current", write, async (c) => {
    const name = c.req.param("name");
    const query = validate(currentQuery, c.req.query());
    const environment = query.environment ?? ctx.config.sponge.defaultEnvironment;
    const principal = c.get("principal");
    const removed = await ctx.store.write(async (sql): Promise<RemovalRecord> => {
      /** An OIDC caller may remove only what its own repository deployed. */
      const claim = async (releaseId: string) => {
        if (!ownsRepository(principal, (await loadById(sql, releaseId))?.release.repository)) {
          throw forbidden(`this OIDC token may only remove what ${principal?.repository} deployed`);
        }
      };
      const current = await currentVersion(sql, name, environment);
      if (current === undefined) {
        // Removing what is already removed answers as the first time did, so a retried request succeeds.
        const earlier = await lastRemoval(sql, name, environment);
        if (earlier === undefined) {
          throw notFound(`a current version of ${quoted(name)} in ${quoted(environment)}`);
        }
        await claim(earlier.release_id);
        return earlier;
      }
      await claim(current.release_id);
      // A deployment may be dated up to an hour ahead of the clock; the removal comes after it, or a later
      // recompute of the current version would bring it back.
      const now = ctx.now();
      const removedAt = current.deployed_at > now ? current.deployed_at : now;
      await removePackages(sql, [current], { environment, removedAt, source: "api" });
      return { ...current, environment, removed_at: removedAt };
    });
    return c.json({
      package: removed.package,
      environment: removed.environment,
      removed_at: removed.removed_at,
      version: removed.version,
      release_id: removed.release_id,
    });
  });

  app.get("/api/removals", read, async (c) => {
    const query = validate(removalsQuery, c.req.query());
    const filter = { package: query.package, environment: query.environment, before: query.cursor };
    const rows = await listRemovals(ctx.store.reader, filter, query.limit);
    const removals = rows.slice(0, query.limit);
    const last = removals[removals.length - 1];
    const next =
      rows.length > query.limit && last
        ? encodeKeys([last.removed_at, last.package, last.environment])
        : null;
    return c.json({ removals, next_cursor: next });
  });

  return app;
}

/** `GET /api/removals`: a package, an environment, and paging as for the release list. */
export const removalsQuery = z.object({
  package: text.optional(),
  environment: text.optional(),
  limit: limitParam(100, 500),
  cursor: z
    .string()
    .transform((value, ctx): RemovalCursor => {
      const keys = decodeKeys(value, 3);
      if (!keys) {
        ctx.addIssue({ code: "custom", message: "expected a next_cursor value returned by this endpoint" });
        return z.NEVER;
      }
      const [removed_at = "", pkg = "", environment = ""] = keys;
      return { removed_at, package: pkg, environment };
    })
    .optional(),
});
