import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppContext, AppEnv } from "../app-context.js";
import { hasScope } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { requireScope, TOKEN_COOKIE } from "../http/guards.js";

const COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

/** What to show a visitor who may not read. */
export type Refusal = (
  c: Context<AppEnv>,
  status: 401 | 403,
  message: string,
) => Response | Promise<Response>;

function secure(c: Context<AppEnv>): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? new URL(c.req.url).protocol.replace(":", "")) === "https";
}

/**
 * Read access for the dashboard: the API's `read` rule (public unless SPONGE_PUBLIC_READ=false, else a
 * Bearer token), plus a read token given once as `?token=`, which is kept in an HttpOnly cookie and
 * dropped from the address by a redirect (so it does not linger in history or get shared with a link).
 */
export function uiReadAccess(ctx: AppContext, refuse: Refusal): MiddlewareHandler<AppEnv> {
  const guard = requireScope(ctx, "read");
  return async (c, next) => {
    const given = c.req.query("token");
    if (given !== undefined) {
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return signIn(ctx, c, given, `${url.pathname}${url.search}`, refuse);
    }

    const kept = getCookie(c, TOKEN_COOKIE);
    if (kept !== undefined && c.req.header("authorization") === undefined) {
      const outcome = await ctx.auth.authenticate(kept);
      if (outcome.ok && hasScope(outcome.principal, "read")) {
        c.set("principal", outcome.principal);
        return next();
      }
      deleteCookie(c, TOKEN_COOKIE, { path: "/" });
    }

    let allowed = false;
    try {
      await guard(c, async () => {
        allowed = true;
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        return refuse(c, error.status, "Reading this dashboard needs a token with the read scope.");
      }
      throw error;
    }
    return allowed ? next() : refuse(c, 401, "Reading this dashboard needs a token with the read scope.");
  };
}

/**
 * Keeps a read token in the dashboard's cookie and sends the visitor on to `next` (a path on this site),
 * or refuses a token that may not read. Used by `?token=` and by the sign-in form (`POST /ui/sign-in`).
 */
export async function signIn(
  ctx: AppContext,
  c: Context<AppEnv>,
  token: string,
  next: string,
  refuse: Refusal,
): Promise<Response> {
  const outcome = await ctx.auth.authenticate(token);
  if (!outcome.ok || !hasScope(outcome.principal, "read")) {
    return refuse(c, 401, "That token was not accepted. Ask for a token with the read scope.");
  }
  setCookie(c, TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    path: "/",
    maxAge: COOKIE_MAX_AGE_S,
  });
  return c.redirect(localPath(next), 303);
}

/**
 * `next` as a path on this site, read as a browser would read it (tabs and newlines dropped, `\\` as `/`),
 * with one leading slash: anything that would lead to another site ("//host", "/\\host", "\t//host",
 * "https://host") becomes "/".
 *
 * @example localPath("/releases?status=failed#x") // "/releases?status=failed"
 */
export function localPath(next: string): string {
  const base = "http://sponge.invalid";
  let url: URL;
  try {
    url = new URL(next, `${base}/`);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  return `/${url.pathname.replace(/^\/+/, "")}${url.search}`;
}
