import type { Release } from "@sponge/core";

/**
 * The ids and statuses of the ongoing releases: the live region's signature (it changes when one is
 * queued, starts or ends).
 */
export function runningSignature(releases: readonly Release[]): string {
  return releases.map((release) => `${release.id}:${release.status}`).join(",") || "none";
}
