import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "../src/index.js";

describe("backoffDelay", () => {
  it("grows exponentially, with jitter in the upper half, up to the cap", () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, random) => {
          const cap = 30_000;
          const ceiling = Math.min(cap, base * 2 ** attempt);
          const delay = backoffDelay(attempt, base, cap, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(ceiling));
        },
      ),
    );
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(3, 500, 30_000, () => 0.999)).toBeCloseTo(4_000, -1);
    expect(backoffDelay(10, 500, 30_000, () => 0)).toBe(15_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T10:00:00Z");
  it.each([
    ["3", 3_000],
    [" 0 ", 0],
    ["Wed, 01 Jan 2025 10:00:05 GMT", 5_000],
    ["Wed, 01 Jan 2025 09:00:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    [null, undefined],
  ])("reads %j as %j ms", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
