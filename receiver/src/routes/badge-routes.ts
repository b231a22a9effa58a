import { createHash } from "node:crypto";
import type { Status } from "@sponge/core";
import { text } from "@sponge/core";
import { makeBadge } from "badge-maker";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { notFound, quoted } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { validate } from "../http/read-body.js";
import { requestHeader } from "../http/request-header.js";
import { respond } from "../http/respond.js";
import { ReadCache } from "../store/read-cache.js";
import { type BadgeState, badgeState } from "../store/read-queries.js";

/** Badge styles badge-maker draws. */
export const BADGE_STYLES = ["flat", "flat-square", "plastic", "for-the-badge", "social"] as const;

export const badgeQuery = z.object({
  environment: text.optional(),
  label: text.optional(),
  style: z.enum(BADGE_STYLES, { error: `expected one of ${BADGE_STYLES.join(", ")}` }).optional(),
});

/** Colour of the badge by the status of the latest (not cancelled) deployment there. */
const COLOURS: Record<Exclude<Status, "cancelled">, string> = {
  succeeded: "brightgreen",
  failed: "red",
  running: "blue",
  queued: "blue",
};
const NOT_DEPLOYED = { message: "not deployed", color: "lightgrey" };
const REMOVED = { message: "removed", color: "lightgrey" };

/** Seconds a badge may be cached: a deploy shows within a minute, and a README with many badges stays cheap. */
const MAX_AGE = 60;

interface Rendered {
  body: string;
  etag: string;
}

/**
 * `GET /badge/:package.svg` and `GET /badge/:package.json` (shields.io endpoint schema): the current
 * version of a package in an environment, coloured by its latest deployment's status. A package never
 * deployed there still gets a grey "not deployed" badge with 200, so READMEs never show a broken image.
 */
export function badgeRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requireScope(ctx, "read");
  const cache = new RenderCache(1000);
  const states = new ReadCache<BadgeState | undefined>(ctx.store);
  const cacheControl = `${ctx.auth.publicRead ? "public" : "private"}, max-age=${MAX_AGE}`;

  app.get("/badge/:file{.+}", read, async (c) => {
    const file = c.req.param("file");
    const format = file.endsWith(".svg") ? "svg" : file.endsWith(".json") ? "json" : undefined;
    if (!format) throw notFound(`badge ${quoted(file)} (expected a name ending in .svg or .json)`);
    const name = file.slice(0, -(format.length + 1));
    if (name === "") throw notFound("a badge without a package name");
    // Most README badges carry no query string; only parse one when there is one.
    const query = c.req.url.includes("?") ? validate(badgeQuery, c.req.query()) : {};
    const environment = query.environment ?? ctx.config.sponge.defaultEnvironment;
    const state = await states.get(`${name}\u0000${environment}`, () =>
      badgeState(ctx.store.reader, name, environment),
    );
    const face = badgeFace(state);
    const label = query.label ?? environment;
    const key = `${format}\u0000${label}\u0000${face.message}\u0000${face.color}\u0000${query.style ?? ""}`;
    const rendered = cache.get(key, () =>
      format === "svg"
        ? makeBadge({
            label,
            message: face.message,
            color: face.color,
            ...(query.style ? { style: query.style } : {}),
          })
        : JSON.stringify({
            schemaVersion: 1,
            label,
            message: face.message,
            color: face.color,
            ...(query.style ? { style: query.style } : {}),
          }),
    );
    const headers = {
      "Content-Type": format === "svg" ? "image/svg+xml; charset=utf-8" : "application/json; charset=utf-8",
      "Cache-Control": cacheControl,
      ETag: rendered.etag,
    };
    if (matchesEtag(c, rendered.etag)) return respond(null, 304, headers);
    return respond(rendered.body, 200, headers);
  });

  return app;
}

function badgeFace(state: BadgeState | undefined): { message: string; color: string } {
  if (!state) return NOT_DEPLOYED;
  const color = COLOURS[state.status];
  if (state.removed) {
    // The deployment that succeeded is the one removed; a later attempt that failed or runs keeps its colour.
    return state.status === "succeeded" ? REMOVED : { message: REMOVED.message, color };
  }
  if (!state.deployed) return { message: NOT_DEPLOYED.message, color };
  return { message: state.version ?? "unknown", color };
}

/**
 * `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`; `*` matches any.
 */
function matchesEtag(c: Context, etag: string): boolean {
  const header = requestHeader(c, "if-none-match");
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** Rendered badges by content, least recently used dropped first: drawing one measures every glyph. */
class RenderCache {
  private readonly entries = new Map<string, Rendered>();

  constructor(private readonly size: number) {}

  get(key: string, render: () => string): Rendered {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const body = render();
    const rendered = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
    this.entries.set(key, rendered);
    if (this.entries.size > this.size) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return rendered;
  }
}
