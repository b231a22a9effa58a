import { type Context, Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.js";
import { ASSETS } from "../ui/assets/assets.js";
import { loadDora } from "../ui/load-dora.js";
import { loadMatrix, loadOverview, loadRunning } from "../ui/load-overview.js";
import { loadRelease } from "../ui/load-release.js";
import { loadReleases } from "../ui/load-releases.js";
import { overviewQuery, parseQuery, releaseQuery } from "../ui/query-params.js";
import { type Refusal, uiReadAccess } from "../ui/read-access.js";
import {
  renderDora,
  renderMatrix,
  renderMessage,
  renderOverview,
  renderRelease,
  renderReleases,
  renderRunning,
} from "../ui/render.js";
import { runningSignature } from "../ui/running-signature.js";

/**
 * Nothing on a page may come from elsewhere (the dashboard works offline); inline styles are allowed
 * for the timeline's bar widths only, scripts come from this origin alone.
 */
const PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

type Status = 200 | 400 | 401 | 403 | 404;

function page(c: Context<AppEnv>, body: string, status: Status = 200, headers: Record<string, string> = {}) {
  return c.html(body, status, { ...PAGE_HEADERS, ...headers });
}

/**
 * The dashboard: `/` (matrix, running releases), `/releases` (history), `/releases/:id`, `/dora`,
 * the live fragments the page script polls, and the self-served stylesheet and script.
 */
export function uiRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const refuse: Refusal = async (c, status, message) =>
    page(
      c,
      await renderMessage({
        title: "Sign in",
        message,
        now: ctx.clock(),
        hint: "Open this page once as /?token=<your read token>; the dashboard then remembers it in a cookie.",
      }),
      status,
    );
  const read = uiReadAccess(ctx, refuse);

  app.get("/ui/assets/:file", (c) => {
    const asset = ASSETS.get(c.req.param("file"));
    if (!asset) return c.text("not found", 404);
    const headers = {
      "Content-Type": asset.type,
      ETag: asset.etag,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    };
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, headers);
  });

  app.get("/", read, async (c) => {
    const query = parseQuery(overviewQuery, c.req.query());
    const team = query.ok ? query.value.team : undefined;
    return page(c, await renderOverview(await loadOverview(ctx, team)));
  });

  app.get("/releases", read, async (c) => {
    const data = await loadReleases(ctx, c.req.query());
    return page(c, await renderReleases(data), data.errors.length > 0 ? 400 : 200);
  });

  app.get("/releases/:id", read, async (c) => {
    const id = c.req.param("id");
    const query = parseQuery(releaseQuery, c.req.query());
    const data = await loadRelease(ctx, id, query.ok ? query.value.logs_after : 0);
    if (!data) {
      const message = `There is no release with the id ${JSON.stringify(id)}.`;
      return page(c, await renderMessage({ title: "Release not found", message, now: ctx.clock() }), 404);
    }
    return page(c, await renderRelease(data));
  });

  app.get("/dora", read, async (c) => {
    const data = await loadDora(ctx, c.req.query());
    return page(c, await renderDora(data), data.errors.length > 0 ? 400 : 200);
  });

  app.get("/ui/live/running", read, async (c) => {
    const team = parseQuery(overviewQuery, c.req.query());
    const running = await loadRunning(ctx, team.ok ? team.value.team : undefined);
    const body = await renderRunning({
      releases: running.releases,
      more: running.more,
      now: ctx.clock(),
    });
    return page(c, body, 200, { "X-Sponge-Signature": runningSignature(running.releases) });
  });

  app.get("/ui/live/matrix", read, async (c) => {
    const team = parseQuery(overviewQuery, c.req.query());
    const matrix = await loadMatrix(ctx, team.ok ? team.value.team : undefined);
    return page(c, await renderMatrix({ ...matrix, now: ctx.clock() }));
  });

  return app;
}
