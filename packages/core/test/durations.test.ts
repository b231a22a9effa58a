import { durationMs, parseTimestamp } from "@sponge/core";
import { describe, expect, it } from "vitest";

// Release, package and host durations are all `finished - started` (docs/config.md).
describe("durationMs", () => {
  it("is finished minus started, in milliseconds", () => {
    expect(durationMs("2024-05-01T10:00:00.000Z", "2024-05-01T10:01:33.512Z")).toBe(93_512);
    expect(durationMs("2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.000Z")).toBe(0);
  });

  it("measures across the time zones CI systems report in", () => {
    const started = parseTimestamp("2021-04-28 21:50:00 +0200");
    const finished = parseTimestamp("2021-04-28 19:55:00 UTC");
    expect(durationMs(started, finished)).toBe(5 * 60_000);
  });

  it("is null when either end is missing, unparseable or out of order", () => {
    expect(durationMs(null, "2024-05-01T10:00:00Z")).toBeNull();
    expect(durationMs("2024-05-01T10:00:00Z", undefined)).toBeNull();
    expect(durationMs("2024-05-01T10:00:00Z", "soon")).toBeNull();
    expect(durationMs("2024-05-01T10:00:01Z", "2024-05-01T10:00:00Z")).toBeNull();
  });
});
