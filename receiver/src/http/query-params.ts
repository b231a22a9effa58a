import { text } from "@sponge/core";
import { z } from "zod";

/** A query parameter that must be present and not blank (trimmed). */
export const requiredText = text.pipe(z.string({ error: "expected a non-empty value" }));

/** A page size between 1 and `max`. */
export const limitParam = (fallback: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected a whole number" })
    .min(1)
    .max(max)
    .default(fallback);
