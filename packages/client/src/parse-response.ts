import type { Release, Status } from "@sponge/core";
import { isRecord } from "./is-record.js";
import { SpongeError } from "./sponge-error.js";
import type {
  CreatedToken,
  CurrentVersion,
  ReleasePage,
  RemovedVersion,
  TokenInfo,
  TokenScope,
} from "./types.js";

/*
 * The receiver's answers are checked on the fields callers act on (ids, statuses, lists,
 * versions) so that a wrong peer (a proxy page, another service) is reported as
 * `invalid_response` instead of surfacing later as `undefined`. The rest of a release is
 * taken as the receiver documents it.
 */

const STATUS_WORDS: readonly string[] = ["queued", "running", "succeeded", "failed", "cancelled"];
const SCOPES: readonly string[] = ["read", "write", "admin"];

function isStatus(value: unknown): value is Status {
  return typeof value === "string" && STATUS_WORDS.includes(value);
}

function isScope(value: unknown): value is TokenScope {
  return typeof value === "string" && SCOPES.includes(value);
}

function isOptionalText(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === "string";
}

function isRelease(value: unknown): value is Release {
  return (
    isRecord(value) &&
    typeof value.id === "string" &&
    isStatus(value.status) &&
    typeof value.environment === "string" &&
    Array.isArray(value.packages) &&
    Array.isArray(value.hosts)
  );
}

function invalid(what: string): SpongeError {
  return new SpongeError({ code: "invalid_response", message: `the receiver did not answer with ${what}` });
}

/** Checks an answer that must be a release. */
export function toRelease(value: unknown): Release {
  if (isRelease(value)) return value;
  throw invalid("a release");
}

/** Checks the answer of `GET /api/releases`. */
export function toReleasePage(value: unknown): ReleasePage {
  if (!isRecord(value) || !Array.isArray(value.releases)) throw invalid("a list of releases");
  const releases = value.releases.map(toRelease);
  const cursor = value.next_cursor;
  return { releases, next_cursor: typeof cursor === "string" && cursor !== "" ? cursor : null };
}

/** Checks the answer of `GET /api/packages/:name/current`. */
export function toCurrentVersion(value: unknown): CurrentVersion {
  if (
    isRecord(value) &&
    typeof value.package === "string" &&
    typeof value.environment === "string" &&
    typeof value.release_id === "string" &&
    isOptionalText(value.version) &&
    isOptionalText(value.deployed_at) &&
    isOptionalText(value.person) &&
    isOptionalText(value.team) &&
    isOptionalText(value.commit)
  ) {
    return {
      package: value.package,
      environment: value.environment,
      version: value.version ?? null,
      release_id: value.release_id,
      deployed_at: value.deployed_at ?? null,
      person: value.person ?? null,
      team: value.team ?? null,
      commit: value.commit ?? null,
    };
  }
  throw invalid("a current version");
}

/** The answer of `DELETE /api/packages/:name/current`. */
export function toRemovedVersion(value: unknown): RemovedVersion {
  if (
    isRecord(value) &&
    typeof value.package === "string" &&
    typeof value.environment === "string" &&
    typeof value.removed_at === "string" &&
    typeof value.release_id === "string" &&
    isOptionalText(value.version)
  ) {
    return {
      package: value.package,
      environment: value.environment,
      removed_at: value.removed_at,
      version: value.version ?? null,
      release_id: value.release_id,
    };
  }
  throw invalid("a removed version");
}

function toTokenInfo(value: unknown): TokenInfo {
  if (isRecord(value) && typeof value.id === "string" && isScope(value.scope) && isOptionalText(value.name)) {
    return { ...value, id: value.id, scope: value.scope, name: value.name ?? null };
  }
  throw invalid("a token");
}

/** Checks the answer of `POST /api/tokens`. */
export function toCreatedToken(value: unknown): CreatedToken {
  const info = toTokenInfo(value);
  if (!isRecord(value) || typeof value.token !== "string" || value.token === "") throw invalid("a new token");
  return { ...info, token: value.token };
}

/** Checks the answer of `GET /api/tokens`: a list, bare or as `{tokens: [...]}`. */
export function toTokenList(value: unknown): TokenInfo[] {
  const list = isRecord(value) ? value.tokens : value;
  if (!Array.isArray(list)) throw invalid("a list of tokens");
  return list.map(toTokenInfo);
}
