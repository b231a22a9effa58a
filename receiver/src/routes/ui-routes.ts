import { type Context, Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.js";
import { quoted } from "../errors.js";
import { anotherSite } from "../http/guards.js";
import { bodyText, limitBody } from "../http/request-body.js";
import { ASSETS } from "../ui/assets/assets.js";
import { loadDora } from "../ui/load-dora.js";
import {
  loadLive,
  loadMatrix,
  loadOverview,
  loadRecent,
  loadRunning,
  loadWeek,
} from "../ui/load-overview.js";
import { loadRelease } from "../ui/load-release.js";
import { loadReleases } from "../ui/load-releases.js";
import { renderOngoing, renderRecent, renderStats } from "../ui/pages/overview-page.js";
import { overviewQuery, parseQuery, releaseQuery } from "../ui/query-params.js";
import { type Refusal, signIn, uiReadAccess } from "../ui/read-access.js";
import {
  renderDora,
  renderMatrix,
  renderMessage,
  renderOverview,
  renderRelease,
  renderReleases,
} from "../ui/render.js";

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

/** A sign-in form holds a token and a path: a few kilobytes at most. */
const SIGN_IN_BYTES = 16 * 1024;

function page(c: Context<AppEnv>, body: string, status: Status = 200, headers: Record<string, string> = {}) {
  return c.html(body, status, { ...PAGE_HEADERS, ...headers });
}

/**
 * What an unknown path answers a browser (a GET that accepts HTML, outside the API, webhooks and badges):
 * a dashboard page with a way back, rather than the API's JSON. Undefined for everything else.
 */
export async function notFoundPage(ctx: AppContext, c: Context<AppEnv>): Promise<Response | undefined> {
  const api = /^\/(api|webhooks|badge|metrics|healthz|readyz)(\/|$)/.test(c.req.path);
  const reads = c.req.method === "GET" || c.req.method === "HEAD";
  if (!reads || api || !/\btext\/html\b/.test(c.req.header("accept") ?? "")) return undefined;
  const message = `There is no page at ${quoted(c.req.path)}.`;
  return page(c, await renderMessage({ title: "Page not found", message, now: ctx.clock() }), 404);
}

/**
 * The dashboard: `/` (matrix, running releases), `/releases` (history), `/releases/:id`, `/dora`,
 * the live fragments the page script polls, and the self-served stylesheet and script.
 */
export function uiRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  /** The sign-in page: a form for a read token, which brings the visitor back to `next`. */
  const signInPage =
    (next: string): Refusal =>
    async (c, status, message) =>
      page(
        c,
        await renderMessage({
          title: "Sign in",
          message,
          now: ctx.clock(),
          hint: "The dashboard keeps the token in a cookie for 30 days; a link can also carry it once as ?token=.",
          signIn: { next },
        }),
        status,
      );
  const refuse: Refusal = (c, status, message) => {
    const url = new URL(c.req.url);
    url.searchParams.delete("token");
    return signInPage(`${url.pathname}${url.search}`)(c, status, message);
  };
  const read = uiReadAccess(ctx, refuse);

  // The form posts the token in its body, so it never shows in an address, a history or a proxy's log.
  app.post("/ui/sign-in", limitBody(SIGN_IN_BYTES), async (c) => {
    const form = new URLSearchParams(await bodyText(c));
    const next = form.get("next") ?? "/";
    const token = form.get("token")?.trim() ?? "";
    // Only this site's own form signs in: another site could otherwise sign a visitor in with its token.
    if (anotherSite(c) !== undefined) {
      return signInPage("/")(c, 403, "Sign in from this dashboard's own form.");
    }
    if (token === "") return signInPage(next)(c, 401, "Enter a token with the read scope.");
    return signIn(ctx, c, token, next, signInPage(next));
  });

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
      const message = `There is no release with the id ${quoted(id)}.`;
      return page(c, await renderMessage({ title: "Release not found", message, now: ctx.clock() }), 404);
    }
    return page(c, await renderRelease(data));
  });

  app.get("/dora", read, async (c) => {
    const data = await loadDora(ctx, c.req.query());
    return page(c, await renderDora(data), data.errors.length > 0 ? 400 : 200);
  });

  /*
   * The overview's live fragments, each for the page's team. The running list is polled; its signature
   * header tells the page when to reload the others.
   */
  const liveTeam = (c: Context<AppEnv>) => {
    const query = parseQuery(overviewQuery, c.req.query());
    return query.ok ? query.value.team : undefined;
  };

  app.get("/ui/live/running", read, async (c) => {
    const team = liveTeam(c);
    const live = await loadLive(ctx, team);
    const body = await renderOngoing({ releases: live.releases, more: live.more, now: ctx.clock(), team });
    return page(c, body, 200, { "X-Sponge-Signature": live.signature });
  });

  app.get("/ui/live/matrix", read, async (c) => {
    const matrix = await loadMatrix(ctx, liveTeam(c));
    return page(c, await renderMatrix({ ...matrix, now: ctx.clock() }));
  });

  app.get("/ui/live/stats", read, async (c) => {
    const team = liveTeam(c);
    const [running, week] = await Promise.all([loadRunning(ctx, team), loadWeek(ctx, team, ctx.clock())]);
    return page(c, await renderStats({ running: running.releases.length, runningMore: running.more, week }));
  });

  app.get("/ui/live/recent", read, async (c) => {
    const team = liveTeam(c);
    const releases = await loadRecent(ctx, team);
    return page(c, await renderRecent({ releases, now: ctx.clock(), team }));
  });

  return app;
}
