import { normaliseStatus, type Status, splitPackageSpec } from "@sponge/core";
import type { FinalStatus } from "../types.js";
import { UsageError } from "./usage-error.js";

export const FINAL_STATUSES: readonly FinalStatus[] = ["succeeded", "failed", "cancelled"];
export const ALL_STATUSES: readonly Status[] = ["queued", "running", "succeeded", "failed", "cancelled"];

/**
 * A `--status` word. CI spellings are understood (`SUCCESS`, `FAILURE`, `ABORTED`,
 * `canceled`…), so `--status "$BUILD_STATUS"` works as it is.
 */
export function parseStatus<S extends Status>(command: string, word: string, allowed: readonly S[]): S {
  const status = normaliseStatus(word);
  const match = allowed.find((candidate) => candidate === status);
  if (match === undefined) {
    throw new UsageError(
      `--status must be one of ${allowed.join(", ")}, got ${JSON.stringify(word)}`,
      command,
    );
  }
  return match;
}

/** `name@version` (scoped names like `@acme/api@1.2.0` work); both parts are required. */
export function parsePackageSpec(command: string, spec: string): { name: string; version: string } {
  const { name, version } = splitPackageSpec(spec.trim());
  if (name === "" || version === undefined) {
    throw new UsageError(`expected a package as name@version, got ${JSON.stringify(spec)}`, command);
  }
  return { name, version };
}

/** The release id from the argument or `SPONGE_RELEASE_ID`. */
export function releaseIdFrom(
  command: string,
  argument: string | undefined,
  fallback: string | undefined,
): string {
  const id = argument?.trim() || fallback;
  if (id === undefined || id === "") {
    throw new UsageError("missing release ID: pass it as an argument or set SPONGE_RELEASE_ID", command);
  }
  return id;
}
