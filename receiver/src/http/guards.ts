import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppContext, AppEnv } from "../app-context.js";
import { hasScope } from "../auth/principal.js";
import { forbidden, unauthorized } from "../errors.js";
import type { Scope } from "../store/tokens.js";
import { requestHeader } from "./request-header.js";

/** The cookie that keeps a dashboard visitor's read token (set by ui/read-access.ts). */
export const TOKEN_COOKIE = "sponge_token";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Headers a reverse proxy adds (nginx sets X-Real-IP in common setups and no X-Forwarded-For by default). */
const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "via"] as const;

/**
 * Authenticates before the body is read. Reads are public unless SPONGE_PUBLIC_READ=false. With no
 * credential configured at all, writes are open to loopback peers (none of a proxy's headers) while the
 * receiver listens on loopback only.
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
