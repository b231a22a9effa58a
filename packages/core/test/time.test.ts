import { parseDuration, parseTimestamp } from "@sponge/core";
import { describe, expect, it } from "vitest";

describe("parseTimestamp", () => {
  it.each([
    ["2026-03-01T12:00:00Z", "2026-03-01T12:00:00.000Z"],
    ["2026-03-01T14:00:00+02:00", "2026-03-01T12:00:00.000Z"],
    ["2021-04-28 21:50:00 +0200", "2021-04-28T19:50:00.000Z"],
    ["2021-04-28 21:50:00 UTC", "2021-04-28T21:50:00.000Z"],
    [1735725900000, "2025-01-01T10:05:00.000Z"],
    [1735725900, "2025-01-01T10:05:00.000Z"],
    ["1735725900000", "2025-01-01T10:05:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29", "2000-02-29T00:00:00.000Z"],
    ["2026-12-31 23:59:59 UTC", "2026-12-31T23:59:59.000Z"],
    ["2026-04-30T23:59Z", "2026-04-30T23:59:00.000Z"],
  ])("%s -> %s", (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it.each([
    ["yesterday"],
    [""],
    ["2026-13-45T99:00:00Z"],
    [-1],
    [Number.NaN],
    [8640000000000001],
    [1e300],
    ["99999-01-01"],
  ])("refuses %s", (input) => {
    expect(parseTimestamp(input)).toBeUndefined();
  });

  it.each([
    ["2026-02-30T00:00:00Z"],
    ["2026-02-29"],
    ["1900-02-29"],
    ["2026-04-31T12:00:00+02:00"],
    ["2021-04-31 21:50:00 +0200"],
    ["2026-00-10T00:00:00Z"],
    ["2026-03-00"],
    ["2026-02-28T24:00:00Z"],
    ["2026-02-28 23:60:00 UTC"],
    ["2026-02-28T23:59:60Z"],
  ])("refuses %s instead of rolling it over to another date", (input) => {
    expect(parseTimestamp(input)).toBeUndefined();
  });
});

describe("parseDuration", () => {
  it.each([
    ["2h", 7_200_000],
    ["90m", 5_400_000],
    ["1h30m", 5_400_000],
    ["45s", 45_000],
    ["1d", 86_400_000],
    ["1500", 1500],
  ])("%s -> %d ms", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([["soon"], ["2 h"], ["h"], ["-5m"], [""]])("refuses %s", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});
