import { releaseInput } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { attemptKey } from "../src/webhooks/attempt-input.js";

describe("attemptKey", () => {
  it("keeps the first attempt's key and numbers later ones", () => {
    expect(attemptKey("gitlab:1:pipeline:31:staging", 1)).toBe("gitlab:1:pipeline:31:staging");
    expect(attemptKey("gitlab:1:pipeline:31:staging", 2)).toBe("gitlab:1:pipeline:31:staging:attempt:2");
  });

  it("keeps a later attempt of a key at the length limit within it, distinct and stable", () => {
    const longest = `gitlab:1:pipeline:31:${"e".repeat(479)}`;
    expect(longest).toHaveLength(500);
    const second = attemptKey(longest, 2);
    const third = attemptKey(longest, 3);
    expect(second.length).toBeLessThanOrEqual(500);
    expect(third.length).toBeLessThanOrEqual(500);
    expect(second).not.toBe(third);
    expect(attemptKey(longest, 2)).toBe(second);
    expect(releaseInput.safeParse({ key: second }).success).toBe(true);
  });
});
