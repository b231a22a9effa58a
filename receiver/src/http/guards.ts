import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppContext, AppEnv } from "../app-context.js";
import { hasScope } from "../auth/principal.js";
import { forbidden, quoted, unauthorized } from "../errors.js";
import type { Scope } from "../store/tokens.js";
import { requestHeader } from "./request-header.js";

/** The cookie that keeps a dashboard visitor's read token (set by ui/read-access.ts). */
export const TOKEN_COOKIE = "sponge_token";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Headers a reverse proxy adds (nginx sets X-Real-IP in common setups and no X-Forwarded-For by default). */
const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "via"] as const;

/** `localhost`, `127.x.y.z` or `[::1]`, with or without a port. */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/**
 * Why a request without a token comes from a web page rather than from a tool on this machine, or
 * undefined: a browser on this machine is a loopback peer too, so any site it visits could otherwise write
 * through the open door (a form or a `no-cors` fetch), or read the answer after rebinding its own name to
 * 127.0.0.1. Browsers send `Origin` and `Sec-Fetch-Site` with such requests and the site's name as `Host`;
 * curl, the CLI and scripts send none of that. The receiver's own pages (the API reference at /docs) are
 * same-origin and pass.
 */
function crossSite(c: Context<AppEnv>): string | undefined {
  const host = requestHeader(c, "host");
  if (host !== undefined && !LOOPBACK_HOST.test(host)) return `Host ${quoted(host)} is not this machine`;
  return anotherSite(c);
}

/**
 * Why a request was sent by a page of another site (a form it submitted, a fetch it made), or undefined.
 * A browser's `Sec-Fetch-Site` says it outright and is trusted when present (`same-origin` or `none`
 * pass); only a browser too old to send it is judged by its `Origin` against the receiver's own address,
 * as a reverse proxy forwards it (`X-Forwarded-Host`) or as it reached the receiver (`Host`). Requests
 * from tools carry neither header.
 *
 * @example anotherSite(c) // 'Sec-Fetch-Site: "cross-site"' for a form posted from another site
 */
export function anotherSite(c: Context<AppEnv>): string | undefined {
  const site = requestHeader(c, "sec-fetch-site");
  if (site !== undefined) {
    return site === "same-origin" || site === "none" ? undefined : `Sec-Fetch-Site: ${quoted(site)}`;
  }
  const origin = requestHeader(c, "origin");
  if (origin === undefined) return undefined;
  const hosts = [requestHeader(c, "x-forwarded-host")?.split(",")[0]?.trim(), requestHeader(c, "host")];
  const own = hosts.some((host) => host && (origin === `http://${host}` || origin === `https://${host}`));
  return own ? undefined : `Origin ${quoted(origin)} is another site`;
}

/**
 * Authenticates before the body is read. Reads are public unless SPONGE_PUBLIC_READ=false. With no
 * credential configured at all, writes are open to loopback peers (none of a proxy's headers, and no sign
 * of a web page of another site: `crossSite`) while the receiver listens on loopback only.
 */
export function requireScope(ctx: AppContext, scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = requestHeader(c, "authorization");
    // A read from the dashboard's own links (`As JSON`) carries its cookie rather than a Bearer token. Only
    // reads take it: a write needs the header, so another site cannot make a browser write.
    const token =
      header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ??
      (scope === "read" && header === undefined && !ctx.auth.publicRead
        ? getCookie(c, TOKEN_COOKIE)
        : undefined);
    if (token === undefined) {
      if (header !== undefined) throw unauthorized("expected Authorization: Bearer <token>");
      if (scope === "read" && ctx.auth.publicRead) return next();
      const peer = c.env?.incoming?.socket?.remoteAddress ?? "";
      const open =
        ctx.config.loopbackOnly &&
        LOOPBACK.test(peer) &&
        PROXY_HEADERS.every((name) => requestHeader(c, name) === undefined) &&
        (await ctx.auth.isOpen());
      if (open) {
        const page = crossSite(c);
        if (page !== undefined) {
          throw unauthorized(
            `a token with the ${scope} scope is required: without one, writes are taken from this machine's own tools, not from a web page (${page})`,
          );
        }
        c.set("principal", { kind: "open", scope: "admin", subject: peer });
        return next();
      }
      throw unauthorized(`a token with the ${scope} scope is required`);
    }
    const outcome = await ctx.auth.authenticate(token);
    if (!outcome.ok) throw unauthorized(outcome.reason);
    if (!hasScope(outcome.principal, scope)) {
      throw forbidden(`this token has the ${outcome.principal.scope} scope; ${scope} is required`);
    }
    c.set("principal", outcome.principal);
    return next();
  };
}
