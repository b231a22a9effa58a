import { leadTimeMs } from "@sponge/core";
import { describe, expect, it } from "vitest";

const HOUR = 3_600_000;
const commit = (sha: string, timestamp?: string) => (timestamp ? { sha, timestamp } : { sha });

describe("leadTimeMs", () => {
  const finished = "2024-05-02T12:00:00.000Z";
  const commits = [
    commit("aaaaaaa1111111111111111111111111111111111", "2024-05-01T12:00:00Z"),
    commit("bbbbbbb2222222222222222222222222222222222", "2024-05-02T06:00:00Z"),
    commit("ccccccc3333333333333333333333333333333333", "2024-05-02T11:00:00Z"),
  ];

  it("measures from the earliest commit when nothing was deployed before", () => {
    expect(leadTimeMs(finished, commits, new Set())).toBe(24 * HOUR);
  });

  it("skips commits the previous succeeded release already deployed", () => {
    const previous = new Set(["aaaaaaa1111111111111111111111111111111111"]);
    expect(leadTimeMs(finished, commits, previous)).toBe(6 * HOUR);
  });

  it("matches short and full commit ids, in any case", () => {
    expect(leadTimeMs(finished, commits, new Set(["AAAAAAA", "bbbbbbb222"]))).toBe(HOUR);
    expect(
      leadTimeMs(finished, [commit("AAAAAAA", "2024-05-01T12:00:00Z")], new Set([commits[0]?.sha ?? ""])),
    ).toBeNull();
  });

  it("does not match ids shorter than 7 characters by prefix", () => {
    expect(leadTimeMs(finished, commits, new Set(["aaaa"]))).toBe(24 * HOUR);
  });

  it("is null when unfinished, without new timestamped commits, or when the clock disagrees", () => {
    expect(leadTimeMs(null, commits, new Set())).toBeNull();
    expect(leadTimeMs("not a time", commits, new Set())).toBeNull();
    expect(leadTimeMs(finished, [], new Set())).toBeNull();
    expect(leadTimeMs(finished, [commit("ddddddd")], new Set())).toBeNull();
    expect(leadTimeMs(finished, commits, new Set(commits.map((c) => c.sha)))).toBeNull();
    expect(leadTimeMs("2024-05-01T00:00:00Z", commits, new Set())).toBeNull();
  });

  it("ignores unparseable commit timestamps", () => {
    expect(
      leadTimeMs(finished, [commit("e", "yesterday"), commit("f", "2024-05-02T10:00:00Z")], new Set()),
    ).toBe(2 * HOUR);
  });

  it("handles large histories", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      commit(i.toString(16).padStart(40, "0"), new Date(Date.parse(finished) - (i + 1) * 1000).toISOString()),
    );
    const deployed = new Set(many.slice(5000).map((c) => c.sha));
    expect(leadTimeMs(finished, many, deployed)).toBe(5000 * 1000);
  });
});
