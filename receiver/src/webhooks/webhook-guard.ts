import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "../app-context.js";
import { ApiError, forbidden, unauthorized } from "../errors.js";
import { requireScope } from "../http/guards.js";
import type { Provider } from "../store/deliveries.js";
import { secretMatches } from "./secret-matches.js";

/** The variable that configures each provider's credential, for error messages and docs. */
export const CREDENTIAL_VARIABLES: Record<Provider, string> = {
  github: "SPONGE_GITHUB_WEBHOOK_SECRET",
  gitlab: "SPONGE_GITLAB_WEBHOOK_TOKEN",
  jenkins: "SPONGE_JENKINS_TOKEN",
  cdevents: "SPONGE_CDEVENTS_TOKEN",
};

/** `sha256=` and 64 hex digits, as GitHub sends it. */
export const GITHUB_SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * Authenticates a webhook before its body is read.
 * - GitLab: `X-Gitlab-Token`; Jenkins: HTTP Basic (the password) or Bearer; CDEvents: Bearer — each
 *   compared with the provider's own secret in constant time.
 * - GitHub: a well-formed `X-Hub-Signature-256` must be present; the HMAC itself needs the raw body and
 *   is checked by the route right after reading it, before parsing.
 * - A provider whose secret is not configured is refused like any write route would refuse it: it is
 *   accepted only in open mode (no credential configured at all, loopback peer) or with a `write` token,
 *   not a GitHub OIDC token (403), which speaks for one repository only.
 *
 * `refused` is told about every 401 (a metric); nothing is stored for a refused delivery.
 */
export function webhookGuard(
  ctx: AppContext,
  provider: Provider,
  refused: (provider: Provider) => void,
): MiddlewareHandler<AppEnv> {
  const fallback = requireScope(ctx, "write");
  const variable = CREDENTIAL_VARIABLES[provider];
  return async (c, next) => {
    const secret = configuredSecret(ctx, provider);
    if (secret === undefined) {
      let allowed = false;
      try {
        await fallback(c, async () => {
          allowed = true;
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          refused(provider);
          throw unauthorized(
            `${variable} is not set on the receiver, so /webhooks/${provider} needs a write token or open mode`,
          );
        }
        throw error;
      }
      if (!allowed) return;
      if (c.get("principal")?.kind === "oidc") {
        // A webhook may name any repository; an OIDC token speaks only for its own (through /api/releases).
        throw forbidden(
          `an OIDC token may write only its own repository's releases, through /api/releases; /webhooks/${provider} needs ${variable} or a write token`,
        );
      }
      return next();
    }
    const problem = credentialProblem(provider, secret, (name) => c.req.header(name));
    if (problem !== undefined) {
      refused(provider);
      throw unauthorized(problem);
    }
    return next();
  };
}

function configuredSecret(ctx: AppContext, provider: Provider): string | undefined {
  const { webhooks } = ctx.config;
  const secret = {
    github: webhooks.githubSecret,
    gitlab: webhooks.gitlabToken,
    jenkins: webhooks.jenkinsToken,
    cdevents: webhooks.cdeventsToken,
  }[provider];
  return secret === undefined || secret === "" ? undefined : secret;
}

/** Why the request's credential is refused, or undefined when it matches. */
function credentialProblem(
  provider: Provider,
  secret: string,
  header: (name: string) => string | undefined,
): string | undefined {
  switch (provider) {
    case "github":
      return GITHUB_SIGNATURE.test(header("x-hub-signature-256")?.trim() ?? "")
        ? undefined
        : "expected an X-Hub-Signature-256: sha256=<hex> header (set the webhook's secret in GitHub)";
    case "gitlab":
      return secretMatches(header("x-gitlab-token"), secret)
        ? undefined
        : "X-Gitlab-Token is missing or does not match the configured token";
    case "jenkins":
    case "cdevents": {
      const presented = presentedTokens(header("authorization"), provider === "jenkins");
      // Check every candidate so timing does not tell which form matched.
      const matches = presented.candidates.map((candidate) => secretMatches(candidate, secret));
      if (matches.includes(true)) return undefined;
      if (presented.form === "basic") {
        return `the HTTP Basic credentials are not valid: the password does not match ${CREDENTIAL_VARIABLES[provider]}`;
      }
      if (presented.form === "bearer") {
        return `the Bearer token is not valid: it does not match ${CREDENTIAL_VARIABLES[provider]}`;
      }
      return provider === "jenkins"
        ? "expected HTTP Basic credentials (user:<token>@ in the Notification plugin URL) or Authorization: Bearer <token>"
        : "expected Authorization: Bearer <token>";
    }
  }
}

/**
 * The token of `Bearer <token>`, or (when `basic`) the password of `Basic base64(user:password)`, and
 * which form was presented (none when the header is missing or malformed). The Notification plugin sends
 * the URL's userinfo as it is written, percent-encoding included, so the decoded password is a candidate
 * too.
 */
function presentedTokens(
  authorization: string | undefined,
  basic: boolean,
): { form: "bearer" | "basic" | undefined; candidates: string[] } {
  const value = authorization?.trim() ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(value)?.[1];
  if (bearer !== undefined) return { form: "bearer", candidates: [bearer] };
  const encoded = basic ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value)?.[1] : undefined;
  if (encoded === undefined) return { form: undefined, candidates: [] };
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { form: undefined, candidates: [] };
  const password = decoded.slice(colon + 1);
  return { form: "basic", candidates: [password, percentDecoded(password)] };
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
