import { DORA_INTERVALS, type DoraInterval, summarizeDora, text, tierOf, timestamp } from "@sponge/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { unprocessable } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { validate } from "../http/read-body.js";
import { doraFacts } from "../store/dora-queries.js";
import { environmentNames } from "../store/read-queries.js";

const DAY_MS = 86_400_000;
/** Default window: the 30 days before `to`. */
const DEFAULT_DAYS = 30;
/** Most buckets a series may have. */
const MAX_BUCKETS = 1000;

export const doraQuery = z
  .object({
    environment: text.optional(),
    tier: z
      .enum(["production", "staging", "testing", "development"], {
        error: "expected production, staging, testing or development",
      })
      .optional(),
    team: text.optional(),
    package: text.optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    interval: z.enum(DORA_INTERVALS, { error: "expected day, week or month" }).optional(),
  })
  .refine((query) => query.environment === undefined || query.tier === undefined, {
    path: ["tier"],
    message: "give environment or tier, not both",
  });

/** `GET /api/metrics/dora`: the four DORA metrics of one environment or tier, in total and per interval. */
export function doraRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requireScope(ctx, "read");

  app.get("/api/metrics/dora", read, async (c) => {
    const query = validate(doraQuery, c.req.query());
    const to = Date.parse(query.to ?? ctx.now());
    const from = query.from === undefined ? to - DEFAULT_DAYS * DAY_MS : Date.parse(query.from);
    if (!(from < to)) {
      throw unprocessable([{ field: "from", message: "expected a time before `to`" }]);
    }
    const interval = query.interval ?? defaultInterval(to - from);
    let environments: string[];
    if (query.tier !== undefined) {
      const known = new Set([
        ...Object.keys(ctx.config.sponge.environments),
        ...(await environmentNames(ctx.store.reader)),
      ]);
      environments = [...known].filter((name) => tierOf(ctx.config.sponge, name) === query.tier).sort();
    } else {
      environments = [query.environment ?? ctx.config.sponge.defaultEnvironment];
    }
    const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const facts = await doraFacts(ctx.store.reader, {
      environments,
      ...window,
      team: query.team,
      package: query.package,
    });
    const summary = summarizeDora(facts, { from, to, interval, limit: MAX_BUCKETS });
    if (!summary) {
      throw unprocessable([
        {
          field: "interval",
          message: `more than ${MAX_BUCKETS} ${interval}s in the window; use a longer interval`,
        },
      ]);
    }
    return c.json({
      scope: {
        ...(query.tier !== undefined ? { tier: query.tier } : { environment: environments[0] }),
        environments,
        team: query.team ?? null,
        package: query.package ?? null,
      },
      ...window,
      interval,
      ...summary,
    });
  });

  return app;
}

/** Daily series up to about three months, weekly up to two years, monthly beyond. */
function defaultInterval(spanMs: number): DoraInterval {
  if (spanMs <= 92 * DAY_MS) return "day";
  if (spanMs <= 731 * DAY_MS) return "week";
  return "month";
}
