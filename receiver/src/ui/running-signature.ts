import type { Release } from "@sponge/core";

/** The ids of the running releases: the live region's signature (it changes when one starts or ends). */
export function runningSignature(releases: readonly Release[]): string {
  return releases.map((release) => release.id).join(",") || "none";
}
