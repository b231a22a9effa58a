import { text } from "@sponge/core";
import { z } from "zod";
import { decodeCursor } from "./respond.js";

/** A query parameter that must be present and not blank (trimmed). */
export const requiredText = text.pipe(z.string({ error: "expected a non-empty value" }));

/** A page size between 1 and `max`; any value outside says the range. */
export const limitParam = (fallback: number, max: number) => {
  const error = `expected a whole number from 1 to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(1, { error }).max(max, { error }).default(fallback);
};

/**
 * The check both history listings (API and dashboard) make on a `since`/`until` window, for `.refine`.
 *
 * @example z.object({ since: timestamp.optional(), until: timestamp.optional() }).refine(...sinceBeforeUntil)
 */
export const sinceBeforeUntil: [
  (query: { since?: string | undefined; until?: string | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (query) => query.since === undefined || query.until === undefined || query.since < query.until,
  { path: ["since"], message: "expected a time before until" },
];

/**
 * A `cursor` query value: the page position an earlier answer handed out. `invalid` tells the caller what
 * to do with one that does not decode.
 *
 * @example z.object({ cursor: cursorParam("expected a next_cursor value returned by this endpoint").optional() })
 */
export const cursorParam = (invalid: string) =>
  z.string().transform((value, ctx) => {
    const cursor = decodeCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: invalid });
      return z.NEVER;
    }
    return cursor;
  });
