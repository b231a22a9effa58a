export { backoffDelay, parseRetryAfter } from "./backoff.js";
export { type ClientOptions, createClient, type SpongeClient } from "./create-client.js";
export { type ClientErrorCode, SpongeError, type SpongeErrorInit } from "./sponge-error.js";
export type {
  CallOptions,
  CreatedToken,
  CurrentVersion,
  FinalStatus,
  FinishBody,
  HostBody,
  LogEntry,
  LogUpload,
  PackageBody,
  ReleaseBody,
  ReleaseFilters,
  ReleasePage,
  ReleaseUpdate,
  RemovedVersion,
  TokenInfo,
  TokenScope,
} from "./types.js";
export { VERSION } from "./version.js";
