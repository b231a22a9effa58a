import { timingSafeEqual } from "node:crypto";
import type { Clock, Store } from "../store/store.js";
import { countTokens, findToken, hashToken, type Scope, touchToken } from "../store/tokens.js";
import type { Principal } from "./principal.js";

/** Verifies a GitHub Actions OIDC token; resolves to a principal or rejects with a reason. */
export type OidcVerifier = (jwt: string) => Promise<Principal>;

export interface AuthSettings {
  /** `SPONGE_TOKENS`: tokens from the environment. */
  tokens: readonly { scope: Scope; token: string }[];
  oidc?: OidcVerifier | undefined;
  /** Whether any webhook secret is configured (a credential, so writes are no longer open). */
  webhookSecrets: boolean;
  /** `SPONGE_PUBLIC_READ` (default true). */
  publicRead: boolean;
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; reason: string };

/** How often at most a stored token's `last_used_at` is written. */
export const TOKEN_USE_INTERVAL_MS = 60_000;

/**
 * Resolves the caller from `Authorization: Bearer …`. Environment tokens are compared in constant time
 * (digest against digest); stored tokens are found by digest; JWT-shaped tokens go to the OIDC verifier.
 */
export class Authenticator {
  private readonly envTokens: { scope: Scope; digest: Buffer }[];
  private storedTokens: number | undefined;
  /** When each stored token's use was last written (epoch ms), so a busy token costs one write a minute. */
  private readonly usesWritten = new Map<string, number>();

  constructor(
    private readonly settings: AuthSettings,
    private readonly store: Store,
    private readonly clock: Clock = () => new Date(),
  ) {
    this.envTokens = settings.tokens.map((t) => ({
      scope: t.scope,
      digest: Buffer.from(hashToken(t.token), "hex"),
    }));
  }

  get publicRead(): boolean {
    return this.settings.publicRead;
  }

  /**
   * No token, OIDC allow list or webhook secret configured, and no token created through the API. Only a
   * closed door is remembered: while it looks open the tokens are counted again on every call, so a token
   * created through another receiver on the same database closes this one's door at once.
   */
  async isOpen(): Promise<boolean> {
    if (this.envTokens.length > 0 || this.settings.oidc || this.settings.webhookSecrets) return false;
    if (this.storedTokens === undefined || this.storedTokens === 0) {
      this.storedTokens = await countTokens(this.store.reader);
    }
    return this.storedTokens === 0;
  }

  /** Call after creating or deleting a stored token. */
  tokensChanged(): void {
    this.storedTokens = undefined;
    this.usesWritten.clear();
  }

  async authenticate(token: string): Promise<AuthOutcome> {
    const digest = Buffer.from(hashToken(token), "hex");
    let match: Scope | undefined;
    for (const candidate of this.envTokens) {
      // Compare every candidate so timing does not tell which one matched.
      if (timingSafeEqual(candidate.digest, digest)) match ??= candidate.scope;
    }
    if (match) return { ok: true, principal: { kind: "token", scope: match, subject: "env" } };
    const stored = await findToken(this.store.reader, token);
    if (stored) {
      this.noteUse(stored.id);
      return { ok: true, principal: { kind: "token", scope: stored.scope, subject: stored.id } };
    }
    if (this.settings.oidc && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
      try {
        return { ok: true, principal: await this.settings.oidc(token) };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : "the OIDC token was refused" };
      }
    }
    return { ok: false, reason: "the token is not valid" };
  }

  /**
   * Records a stored token's use as its `last_used_at`, at most once per token per
   * TOKEN_USE_INTERVAL_MS. The write is queued and not awaited: it neither delays nor fails the request.
   * A write that fails is not retried before the interval has passed, so a struggling database is not
   * given one more write per request.
   */
  private noteUse(id: string): void {
    const now = this.clock();
    const written = this.usesWritten.get(id);
    if (written !== undefined && now.getTime() - written < TOKEN_USE_INTERVAL_MS) return;
    this.usesWritten.set(id, now.getTime());
    this.store.write((sql) => touchToken(sql, id, now.toISOString())).catch(() => {});
  }
}

/** Below this many characters a token is easy to guess; the receiver says so at start-up. */
export const SHORT_TOKEN_LENGTH = 16;

/** Parses `SPONGE_TOKENS` (`write:s3cret,read:pub1ic`). Any non-empty token is accepted. */
export function parseTokenList(value: string): { scope: Scope; token: string }[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const colon = part.indexOf(":");
      const scope = part.slice(0, colon);
      const token = part.slice(colon + 1);
      if (colon < 0 || !["read", "write", "admin"].includes(scope) || token.trim() === "") {
        throw new Error(
          `SPONGE_TOKENS entry ${index + 1}: expected "scope:token" with scope read, write or admin and a token after the colon`,
        );
      }
      return { scope: scope as Scope, token };
    });
}
