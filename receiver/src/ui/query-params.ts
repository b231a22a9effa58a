import { describeIssues, parseTimestamp, STATUSES, type Status } from "@sponge/core";
import { z } from "zod";
import { cursorParam, sinceBeforeUntil } from "../http/query-params.js";
import { isTier, TIERS } from "./environments.js";

const DAY_MS = 86_400_000;

/** Forms submit empty fields as empty strings: they mean "no filter". */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const optionalText = z.preprocess(
  blank,
  z.string().trim().max(500, { error: "expected at most 500 characters" }).optional(),
);

/**
 * A day (`2026-03-01`, as date inputs send it) or an exact ISO 8601 time. A day used as an upper bound
 * includes the whole day.
 */
const timeBound = (inclusiveDay: boolean) =>
  z.preprocess(
    blank,
    z
      .string()
      .optional()
      .transform((value, ctx): string | undefined => {
        if (value === undefined) return undefined;
        const day = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
        const parsed = parseTimestamp(value);
        if (parsed === undefined) {
          ctx.addIssue({
            code: "custom",
            message: `expected a date such as 2026-03-01, got ${JSON.stringify(value)}`,
          });
          return z.NEVER;
        }
        return day && inclusiveDay ? new Date(Date.parse(parsed) + DAY_MS).toISOString() : parsed;
      }),
  );

const statusParam = z.preprocess(
  blank,
  z.enum(STATUSES as [Status, ...Status[]], { error: `expected one of ${STATUSES.join(", ")}` }).optional(),
);

/**
 * The release history's filters, as the URL holds them. A time range that ends before it starts is
 * refused, as the API refuses it, rather than matching nothing.
 */
export const historyQuery = z
  .object({
    package: optionalText,
    environment: optionalText,
    team: optionalText,
    person: optionalText,
    status: statusParam,
    reference: optionalText,
    host: optionalText,
    since: timeBound(false),
    until: timeBound(true),
    cursor: z.preprocess(
      blank,
      cursorParam("this page link is not valid any more; start from the newest").optional(),
    ),
  })
  .refine(...sinceBeforeUntil);
export type HistoryQuery = z.output<typeof historyQuery>;

/** The names of the history filters, in form order. */
export const HISTORY_FIELDS = [
  "package",
  "environment",
  "team",
  "person",
  "status",
  "reference",
  "host",
  "since",
  "until",
] as const;

export const DORA_RANGES = { "30d": 30, "90d": 90, "180d": 180, "365d": 365 } as const;
export type DoraRange = keyof typeof DORA_RANGES;

/** How the DORA page's `environment` names a whole tier: `tier:production`. */
export const TIER_PREFIX = "tier:";

/** The DORA page's controls. `environment` may name a tier as `tier:production`; an unknown tier is refused. */
export const doraQuery = z.object({
  environment: optionalText.superRefine((value, ctx) => {
    if (value === undefined || !value.startsWith(TIER_PREFIX)) return;
    const tier = value.slice(TIER_PREFIX.length);
    if (isTier(tier)) return;
    ctx.addIssue({
      code: "custom",
      message: `there is no tier ${JSON.stringify(tier)}; expected ${TIERS.map((name) => TIER_PREFIX + name).join(", ")} or an environment name`,
    });
  }),
  team: optionalText,
  range: z.preprocess(
    blank,
    z
      .enum(["30d", "90d", "180d", "365d"], {
        error: (issue) =>
          `the time range is one of 30d, 90d, 180d or 365d, not ${JSON.stringify(issue.input)}`,
      })
      .default("90d"),
  ),
  interval: z.preprocess(
    blank,
    z
      .enum(["day", "week", "month"], {
        error: (issue) => `the interval is day, week or month, not ${JSON.stringify(issue.input)}`,
      })
      .default("week"),
  ),
  drift_from: optionalText,
  drift_to: optionalText,
});
export type DoraQuery = z.output<typeof doraQuery>;

/** The overview's only filter. */
export const overviewQuery = z.object({ team: optionalText });

/** The release page's log paging. */
export const releaseQuery = z.object({
  logs_after: z.preprocess(
    blank,
    z.coerce.number({ error: "expected a number" }).int().min(0, { error: "expected 0 or more" }).default(0),
  ),
});

/** Parses query parameters; the error lists each bad field for the page to show. */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: Record<string, string>,
): { ok: true; value: z.output<S> } | { ok: false; errors: string[] } {
  const result = schema.safeParse(query);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: describeIssues(result.error).map((issue) => `${issue.field}: ${issue.message}`),
  };
}
