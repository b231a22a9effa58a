import { isTerminal, mergeStatus, releaseInput, type Status } from "@sponge/core";
import { expect } from "vitest";
import type { AdapterResult, ReleaseResult, ReleaseWrite } from "../../src/index.js";

/** The releases a result writes: none, one or several. */
export function releasesOf(result: AdapterResult): ReleaseResult[] {
  if (result.kind === "release") return [result];
  if (result.kind === "releases") return result.releases;
  return [];
}

/** The single release of a result; fails the test (showing the result) otherwise. */
export function onlyRelease(result: AdapterResult): ReleaseResult {
  if (result.kind !== "release") expect.fail(`expected one release, got ${JSON.stringify(result)}`);
  return result;
}

/** The reason of an `ignored` result; fails the test otherwise. */
export function ignoredReason(result: AdapterResult): string {
  if (result.kind !== "ignored") expect.fail(`expected ignored, got ${JSON.stringify(result)}`);
  return result.reason;
}

/** What must hold for any result, whatever the input: the checks the property tests repeat. */
export function expectWellFormed(result: AdapterResult): void {
  expect(["release", "releases", "removal", "ignored", "ping"]).toContain(result.kind);
  if (result.kind === "removal") {
    expect(result.service.trim()).not.toBe("");
    expect(result.environment.trim()).not.toBe("");
  }
  for (const release of releasesOf(result)) {
    const parsed = releaseInput.safeParse(release.release);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(release.key).toBe(release.release.key);
    if (release.release.status !== undefined && !isTerminal(release.release.status)) {
      expect(release.release.finished_at).toBeUndefined();
    }
  }
}

export interface Merged {
  status?: Status;
  started_at?: string;
  finished_at?: string;
  environment?: string;
  commit?: string;
  repository?: string;
  packages: string[];
}

/**
 * Folds release writes that share a key the way DESIGN.md's merging rules describe
 * (explicit scalars: last writer wins; status through core's `mergeStatus`, so a terminal
 * status is never reverted; arrays: union). Used to show that an adapter's writes converge
 * whatever order the provider's events arrive in.
 */
export function foldWrites(writes: readonly ReleaseWrite[]): Merged {
  const merged: Merged = { packages: [] };
  for (const write of writes) {
    if (write.status !== undefined) merged.status = mergeStatus(merged.status ?? write.status, write.status);
    for (const field of ["started_at", "finished_at", "environment", "commit", "repository"] as const) {
      const value = write[field];
      if (value !== undefined) merged[field] = value;
    }
    for (const pkg of write.packages ?? []) {
      const spec = `${pkg.name}@${pkg.version ?? ""}`;
      if (!merged.packages.includes(spec)) merged.packages.push(spec);
    }
  }
  return merged;
}

/** Every order of a list (for a handful of events). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
