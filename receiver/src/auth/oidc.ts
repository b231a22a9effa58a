import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { z } from "zod";
import type { Sql } from "../store/database.js";
import type { Clock, Store } from "../store/store.js";
import type { OidcVerifier } from "./authenticator.js";
import type { Principal } from "./principal.js";

export interface OidcVerifierOptions {
  /** Expected `iss`, e.g. `https://token.actions.githubusercontent.com` (GHES: `https://HOST/_services/token`). */
  issuer: string;
  /** Expected `aud` (the action's `oidc-audience`). */
  audience: string;
  /** `owner/repo` or `owner/*` entries, compared case-insensitively. */
  allow: readonly string[];
  /** Where first-seen repository ids are pinned (`oidc_repositories`). */
  store: Store;
  /** The issuer's key set; defaults to `${issuer}/.well-known/jwks`, GitHub's `jwks_uri`. */
  jwksUrl?: string | undefined;
  /** Current time for `exp`/`nbf` and `first_seen_at`; tests fix it. */
  clock?: Clock | undefined;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. Default 60. */
  clockToleranceSeconds?: number | undefined;
}

/** The claims GitHub puts in an Actions ID token that this verifier relies on. */
const githubClaims = z.object({
  repository: z.string({ error: "the token has no repository claim" }).regex(/^[\w.-]+\/[\w.-]+$/, {
    error: "the token's repository claim is not owner/name",
  }),
  // GitHub sends the ids as strings; accept numbers too so a GHES variant cannot trip us up.
  repository_id: z
    .union([z.string().min(1), z.number().int()], { error: "the token has no repository_id claim" })
    .transform(String),
  repository_owner_id: z
    .union([z.string().min(1), z.number().int()], { error: "the token has no repository_owner_id claim" })
    .transform(String),
});

/**
 * Builds the verifier for GitHub Actions OIDC tokens: the signature against the issuer's key
 * set (fetched once and cached by jose, refetched when an unknown key id shows up), `iss`,
 * `aud`, `exp` and `nbf`, then `repository` against the allow list. The first time a
 * repository is seen its `repository_id` and `repository_owner_id` are pinned; a later token
 * for the same name with other ids — a repository deleted and recreated, or a name taken
 * over after a rename — is refused, and so is a new repository of a pinned owner whose
 * owner id differs. Rejections carry a reason and never the token.
 *
 * @example
 * const verify = createOidcVerifier({ issuer: "https://token.actions.githubusercontent.com", audience: "sponge", allow: ["acme/*"], store });
 * const principal = await verify(jwt); // { kind: "oidc", scope: "write", subject: "acme/api", repository: "acme/api" }
 */
export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const issuer = options.issuer.replace(/\/+$/, "");
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks`), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  const clock = options.clock ?? (() => new Date());
  const allow = options.allow.map((entry) => entry.trim().toLowerCase()).filter(Boolean);

  return async (jwt: string): Promise<Principal> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jwt, jwks, {
        issuer,
        audience: options.audience,
        algorithms: ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"],
        clockTolerance: options.clockToleranceSeconds ?? 60,
        requiredClaims: ["exp"],
        currentDate: clock(),
      }));
    } catch (error) {
      throw new Error(describeJoseError(error, issuer, options.audience));
    }
    const parsed = githubClaims.safeParse(payload);
    if (!parsed.success)
      throw new Error(parsed.error.issues[0]?.message ?? "the token's claims are not GitHub's");
    const claims = parsed.data;
    const repository = claims.repository;
    if (!isAllowed(allow, repository)) {
      throw new Error(`repository ${repository} is not in SPONGE_GITHUB_OIDC_ALLOW`);
    }
    // Known repositories are checked on the reader; only a first sighting costs a write.
    if ((await checkPins(options.store.reader, claims)) === "unseen") {
      await options.store.write((sql) => pinRepository(sql, claims, clock().toISOString()));
    }
    return { kind: "oidc", scope: "write", subject: repository, repository };
  };
}

/** `owner/repo` or `owner/*` entries, case-insensitive (GitHub names are). */
export function isAllowed(allow: readonly string[], repository: string): boolean {
  const name = repository.toLowerCase();
  const owner = name.slice(0, name.indexOf("/"));
  return allow.some((entry) => entry === name || entry === `${owner}/*`);
}

interface PinnedRow {
  repository: string;
  repository_id: string;
  owner_id: string;
}

interface IdClaims {
  repository: string;
  repository_id: string;
  repository_owner_id: string;
}

/**
 * Compares the token's ids with those pinned for its repository and, for a repository not
 * seen yet, with the owner id pinned for its owner. Throws on a mismatch.
 */
async function checkPins(sql: Sql, claims: IdClaims): Promise<"pinned" | "unseen"> {
  const name = claims.repository.toLowerCase();
  const owner = name.slice(0, name.indexOf("/"));
  const sameOwner = await sql.all<PinnedRow>(
    "SELECT repository, repository_id, owner_id FROM oidc_repositories WHERE repository >= ? AND repository < ?",
    [`${owner}/`, `${owner}0`],
  );
  const pinned = sameOwner.find((row) => row.repository === name);
  if (pinned) {
    if (pinned.repository_id !== claims.repository_id || pinned.owner_id !== claims.repository_owner_id) {
      throw new Error(
        `repository ${claims.repository} was first seen with other ids (repository_id ${pinned.repository_id}, ` +
          `repository_owner_id ${pinned.owner_id}); a deleted, renamed or recreated repository cannot take its place`,
      );
    }
    return "pinned";
  }
  const otherOwner = sameOwner.find((row) => row.owner_id !== claims.repository_owner_id);
  if (otherOwner) {
    throw new Error(
      `owner ${owner} was first seen with repository_owner_id ${otherOwner.owner_id}, this token has ` +
        `${claims.repository_owner_id}; a renamed or recreated account cannot take its place`,
    );
  }
  return "unseen";
}

/**
 * Pins the ids on first sight, in the write transaction. When another writer (another
 * receiver on the same database) pinned the repository first, its row decides.
 */
async function pinRepository(sql: Sql, claims: IdClaims, now: string): Promise<void> {
  if ((await checkPins(sql, claims)) === "pinned") return;
  const inserted = await sql.run(
    "INSERT INTO oidc_repositories (repository, repository_id, owner_id, first_seen_at) VALUES (?, ?, ?, ?) " +
      "ON CONFLICT (repository) DO NOTHING",
    [claims.repository.toLowerCase(), claims.repository_id, claims.repository_owner_id, now],
  );
  if (inserted.changes === 0) await checkPins(sql, claims);
}

function describeJoseError(error: unknown, issuer: string, audience: string): string {
  if (error instanceof errors.JWTExpired) return "the OIDC token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return `the OIDC token was not issued by ${issuer}`;
    if (error.claim === "aud") return `the OIDC token's audience is not ${audience}`;
    if (error.claim === "nbf") return "the OIDC token is not valid yet";
    return `the OIDC token's ${error.claim} claim is not valid: ${error.reason}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the OIDC token's signature is not valid";
  if (error instanceof errors.JWKSNoMatchingKey)
    return "the OIDC token was signed with a key the issuer does not publish";
  if (error instanceof errors.JWKSTimeout) return "the OIDC issuer's key set could not be fetched in time";
  if (error instanceof errors.JOSEAlgNotAllowed)
    return "the OIDC token uses an algorithm that is not accepted";
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid)
    return "the OIDC token is malformed";
  if (error instanceof errors.JOSEError) return `the OIDC token was refused (${error.code})`;
  return "the OIDC issuer's key set could not be fetched";
}
