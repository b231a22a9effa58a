import { forbidden } from "../errors.js";
import type { Scope } from "../store/tokens.js";

/** Who is calling, after authentication. */
export interface Principal {
  kind: "token" | "oidc" | "open";
  scope: Scope;
  /** Token id, or the repository of an OIDC caller. */
  subject: string;
  /** For OIDC callers: the only repository they may write for. */
  repository?: string;
}

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

/** Scopes include the ones before them: admin > write > read. */
export function hasScope(principal: Principal, needed: Scope): boolean {
  return RANK[principal.scope] >= RANK[needed];
}

/**
 * The only repository the caller may write for: an OIDC caller's own; undefined for everyone else.
 *
 * @example confinedTo({ kind: "oidc", scope: "write", subject: "acme/api", repository: "acme/api" }) // "acme/api"
 */
export function confinedTo(principal: Principal | undefined): string | undefined {
  return principal?.kind === "oidc" ? principal.repository : undefined;
}

/**
 * Whether the caller may change what `repository` recorded: anyone but an OIDC caller bound to a repository
 * (a GitHub Actions job), which may change only its own repository's records (compared case-insensitively).
 */
export function ownsRepository(
  principal: Principal | undefined,
  repository: string | null | undefined,
): boolean {
  if (principal?.kind !== "oidc" || !principal.repository) return true;
  return repository?.toLowerCase() === principal.repository.toLowerCase();
}

/**
 * An OIDC caller (a GitHub Actions job) may write only for its own repository: a release without a
 * repository gets it, a release for another repository is refused.
 */
export function claimRepository(
  principal: Principal | undefined,
  repository: string | null | undefined,
): string | undefined {
  if (principal?.kind !== "oidc" || !principal.repository) return repository ?? undefined;
  if (repository && !ownsRepository(principal, repository)) {
    throw forbidden(`this OIDC token may only write releases of ${principal.repository}`);
  }
  return principal.repository;
}

/** How the GitHub Action's idempotency keys begin (packages/action: release-plan.ts). */
const ACTION_KEY_PREFIX = "github-action:";

/** How the keys the webhook adapters make begin (packages/adapters): `github:<repo id>:deployment:<id>`, … */
const ADAPTER_KEY_PREFIXES = ["github:", "gitlab:", "jenkins:", "cdevents:"];

/**
 * An OIDC caller may use the action's keys of its own repository and keys of its own making, not the
 * predictable keys of another repository's action (`github-action:<repo>:…`) or of the webhook adapters
 * (`github:<repo id>:deployment:<id>`, `gitlab:…`, `jenkins:…`, `cdevents:…`): a release planted under
 * such a key first would make that repository's action refused, or take a webhook's delivery into it.
 * Other keys are first come, first served; a key another repository's release holds is refused by the write.
 *
 * @example
 * const web: Principal = { kind: "oidc", scope: "write", subject: "acme/web", repository: "acme/web" };
 * claimKey(web, "github-action:acme/web:42:1:deploy:web:production"); // fine
 * claimKey(web, "github:1296269:deployment:42"); // throws 403
 */
export function claimKey(principal: Principal | undefined, key: string | null | undefined): void {
  if (principal?.kind !== "oidc" || !principal.repository || !key) return;
  const lower = key.toLowerCase();
  const own = `${ACTION_KEY_PREFIX}${principal.repository}:`;
  if (lower.startsWith(ACTION_KEY_PREFIX) && !lower.startsWith(own.toLowerCase())) {
    throw forbidden(`this OIDC token may only use the action's keys of ${principal.repository} (${own}…)`);
  }
  const adapter = ADAPTER_KEY_PREFIXES.find((prefix) => lower.startsWith(prefix));
  if (adapter !== undefined) {
    throw forbidden(
      `this OIDC token may not use the webhooks' keys (${adapter}…), which any repository could predict`,
    );
  }
}

/**
 * Claims a release write by key for its writer: an OIDC caller's key must be one it may use (`claimKey`),
 * and the release is its own repository's (`claimRepository`), which a release without one takes.
 *
 * @example claimRelease(c.get("principal"), input); // then input.repository is the caller's for OIDC
 */
export function claimRelease(
  principal: Principal | undefined,
  input: { key?: string | null | undefined; repository?: string | null | undefined },
): void {
  claimKey(principal, input.key);
  const repository = claimRepository(principal, input.repository);
  if (repository) input.repository = repository;
}
