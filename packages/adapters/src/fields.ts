import { createHash } from "node:crypto";
import { parseTimestamp } from "@sponge/core";

/** Core's request schema refuses longer text; clipping here keeps every write parseable. */
const MAX_TEXT = 65_536;
/** Core's limits on `environment` and `key`. */
export const MAX_ENVIRONMENT = 200;
const MAX_KEY = 500;
/** Core's limit on list lengths (`ci.changed_files`, `commits`). */
export const MAX_LIST = 10_000;

/** Trimmed text, or undefined when absent or empty; numbers become text. */
export function cleanText(value: string | number | null | undefined, max = MAX_TEXT): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number" && !Number.isFinite(value)) return undefined;
  const text = String(value).trim();
  if (text === "") return undefined;
  return text.length > max ? text.slice(0, max).trim() : text;
}

/** The first value that is non-empty text. */
export function firstText(...values: ReadonlyArray<string | number | null | undefined>): string | undefined {
  for (const value of values) {
    const text = cleanText(value);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** A provider timestamp as ISO 8601 UTC, or undefined when it is not a time. */
export function isoTime(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" && value.length > 100) return undefined;
  return parseTimestamp(value);
}

/** `undefined` for an empty list, so an empty array is never sent. */
export function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
  return list !== undefined && list.length > 0 ? [...list] : undefined;
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops properties whose value is `undefined`, so writes carry only what is known. */
export function compact<T extends object>(value: T): Compact<T> {
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  // The filter above is exactly what the mapped type describes.
  return Object.fromEntries(entries) as Compact<T>;
}

/**
 * An idempotency key from its parts. Keys past core's 500-character limit keep their
 * readable start and end with a hash of the whole, so they stay unique and stable.
 */
export function makeKey(...parts: ReadonlyArray<string | number>): string {
  const key = parts.join(":");
  if (key.length <= MAX_KEY) return key;
  const hash = createHash("sha256").update(key).digest("hex");
  return `${key.slice(0, MAX_KEY - hash.length - 1)}#${hash}`;
}

/** A zod failure as one line naming the fields, for an `ignored` reason. */
export function describeFailure(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): string {
  return issues
    .slice(0, 3)
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)"}: ${issue.message}`,
    )
    .join("; ");
}
