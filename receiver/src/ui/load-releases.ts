import type { AppContext } from "../app-context.js";
import { encodeCursor } from "../http/respond.js";
import { environmentNames, packageNames } from "../store/read-queries.js";
import { listReleases } from "../store/release-reads.js";
import { orderEnvironments } from "./environments.js";
import type { ReleasesData } from "./page-data.js";
import { distinctValues } from "./queries.js";
import { HISTORY_FIELDS, historyQuery, parseQuery } from "./query-params.js";
import { parseReleaseDoc } from "./release-docs.js";

/** Releases per history page. */
export const HISTORY_PAGE = 50;

/** The release history for the filters in `query` (the URL's parameters). */
export async function loadReleases(ctx: AppContext, query: Record<string, string>): Promise<ReleasesData> {
  const sql = ctx.store.reader;
  const values = Object.fromEntries(
    HISTORY_FIELDS.map((field) => [field, query[field]?.trim() || undefined]),
  );
  const parsed = parseQuery(historyQuery, query);
  const [environments, teams, people, packages] = await Promise.all([
    environmentNames(sql),
    distinctValues(sql, "team"),
    distinctValues(sql, "person"),
    packageNames(sql),
  ]);
  const options = {
    environments: orderEnvironments(environments, ctx.config.sponge),
    teams,
    people,
    packages,
  };
  const now = ctx.clock();
  if (!parsed.ok) {
    return { now, values, errors: parsed.errors, releases: [], next: null, paged: false, options };
  }
  const page = await listReleases(sql, { ...parsed.value, limit: HISTORY_PAGE });
  return {
    now,
    values,
    errors: [],
    releases: page.docs.map(parseReleaseDoc),
    next: page.next ? encodeCursor(page.next) : null,
    paged: parsed.value.cursor !== undefined,
    options,
  };
}
