import { isTerminal, type Release } from "@sponge/core";
import { queryString, releasePath } from "./links.js";

/**
 * The ids and statuses of the ongoing releases and of the newest release: the live overview's
 * signature. It changes when a release is queued, starts or ends, and when one is recorded already
 * finished; then the overview's other live parts (matrix, counts, latest releases) are reloaded.
 */
export function runningSignature(
  releases: readonly Release[],
  newest: Pick<Release, "id" | "status"> | undefined,
): string {
  const ongoing = releases.map((release) => `${release.id}:${release.status}`).join(",") || "none";
  return `${ongoing};${newest ? `${newest.id}:${newest.status}` : "none"}`;
}

/** Seconds between two refreshes of a queued or running release's page. */
export const RELEASE_LIVE_INTERVAL = 5;

/**
 * The live attributes of the element wrapping a release page's content (give it `id="release-live"`):
 * while the release is queued or running the page script reloads the page (the same log page) and swaps
 * that element's content in; once a reload shows it finished, without these attributes, it stops.
 * A finished release gets none.
 *
 * @example releaseLive({ id: "r1", status: "running" }, 0) // { "data-live-src": "/releases/r1", "data-live-interval": "5" }
 */
export function releaseLive(
  release: Pick<Release, "id" | "status">,
  logsAfter: number,
): { "data-live-src"?: string; "data-live-interval"?: string } {
  if (isTerminal(release.status)) return {};
  const query = queryString({ logs_after: logsAfter > 0 ? String(logsAfter) : undefined });
  return {
    "data-live-src": `${releasePath(release.id)}${query}`,
    "data-live-interval": String(RELEASE_LIVE_INTERVAL),
  };
}
