import type { AdapterResult, ReleaseLookup, ReleaseResult, ReleaseWrite } from "./types.js";

/** A release result; the key is the release's own. */
export function releaseResult(release: ReleaseWrite, lookup?: ReleaseLookup): ReleaseResult {
  return lookup === undefined
    ? { kind: "release", key: release.key, release }
    : { kind: "release", key: release.key, release, lookup };
}

/** An `ignored` result: acknowledged, logged with the reason, nothing written. */
export function ignored(reason: string): AdapterResult {
  return { kind: "ignored", reason };
}

/** One release, several, or `ignored` with `reason` when there are none. */
export function releasesOrIgnored(releases: ReleaseResult[], reason: string): AdapterResult {
  const [first, ...rest] = releases;
  if (first === undefined) return ignored(reason);
  return rest.length === 0 ? first : { kind: "releases", releases };
}
