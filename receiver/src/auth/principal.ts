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
