import { MAX_LOG_LINES as RECEIVER_LIMIT } from "@sponge/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entryChunks, logChunks, MAX_LOG_LINES } from "../src/log-chunks.js";

describe("logChunks", () => {
  it("keeps every line, in order, in chunks under the limit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ""))),
        fc.integer({ min: 8, max: 200 }),
        (lines, max) => {
          const text = lines.map((line) => `${line}\n`).join("");
          const chunks = logChunks(text, max);
          for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(max);
          const longest = Math.max(0, ...lines.map((line) => Buffer.byteLength(line)));
          if (longest <= max) expect(chunks.join("\n")).toBe(lines.join("\n"));
        },
      ),
    );
  });

  it("cuts a line longer than the limit without splitting characters", () => {
    expect(logChunks("ééééé", 4)).toEqual(["éé", "éé", "é"]);
  });

  it("treats CRLF and a final newline as line ends", () => {
    expect(logChunks("a\r\nb\r\n", 100)).toEqual(["a\nb"]);
    expect(logChunks("", 100)).toEqual([]);
  });

  it("sends at most the receiver's line limit per request, however short the lines", () => {
    expect(MAX_LOG_LINES).toBe(RECEIVER_LIMIT);
    expect(logChunks("a\nb\nc\nd\ne", 100, 2)).toEqual(["a\nb", "c\nd", "e"]);
    const chunks = logChunks("x\n".repeat(MAX_LOG_LINES + 5), 5 * 1024 * 1024);
    expect(chunks.map((chunk) => chunk.split("\n").length)).toEqual([MAX_LOG_LINES, 5]);
  });
});

describe("entryChunks", () => {
  it("groups entries under the limit and keeps them all", () => {
    const entries = Array.from({ length: 50 }, (_, n) => ({ message: `entry ${n}` }));
    const chunks = entryChunks(entries, 120);
    expect(chunks.flat()).toEqual(entries);
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(120);
  });

  it("puts at most the line limit in a group", () => {
    const entries = Array.from({ length: 5 }, (_, n) => ({ message: `e${n}` }));
    expect(entryChunks(entries, 10_000, 2).map((chunk) => chunk.length)).toEqual([2, 2, 1]);
  });
});
