import { z } from "zod";

/** An id providers send as a number or a string; always used as text. */
export const idSchema = z
  .union([z.number().int().nonnegative(), z.string().trim().min(1).max(200)])
  .transform((value) => String(value));

/**
 * An optional enrichment field: null, missing or malformed all become undefined, so one
 * odd field never costs the whole delivery. Use it only for fields Sponge can do without.
 */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .catch(undefined)
    .transform((value): z.output<T> | undefined => value ?? undefined);
}

/** Optional text (strings or numbers, as a string), see {@link lenient}. */
export const optionalText = lenient(z.union([z.string(), z.number()]).transform((value) => String(value)));

/** A `{ login }` user object as GitHub sends it; only the login is kept. */
export const optionalLogin = lenient(z.looseObject({ login: z.string() }).transform((user) => user.login));
