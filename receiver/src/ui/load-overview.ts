import type { AppContext } from "../app-context.js";
import { listReleases } from "../store/release-reads.js";
import { orderEnvironments } from "./environments.js";
import type { OverviewData } from "./page-data.js";
import { distinctValues, matrixCells, ongoingReleases, recentCounts } from "./queries.js";
import { parseReleaseDoc } from "./release-docs.js";

const WEEK_MS = 7 * 86_400_000;
/** Running and queued releases listed on the overview (the rest are one click away). */
export const RUNNING_LIMIT = 25;

/** The ongoing releases: running ones, then queued ones, each newest first, on the status index. */
export function loadRunning(ctx: AppContext, team: string | undefined) {
  return ongoingReleases(ctx.store.reader, team, RUNNING_LIMIT);
}

/** The matrix of current versions, with its environments in deployment order. */
export async function loadMatrix(ctx: AppContext, team: string | undefined) {
  const cells = await matrixCells(ctx.store.reader, { team });
  const environments = orderEnvironments(
    cells.map((cell) => cell.environment),
    ctx.config.sponge,
  );
  return { cells, environments };
}

/** Everything the overview shows. */
export async function loadOverview(ctx: AppContext, team: string | undefined): Promise<OverviewData> {
  const now = ctx.clock();
  const sql = ctx.store.reader;
  const [teams, matrix, running, recent, week] = await Promise.all([
    distinctValues(sql, "team"),
    loadMatrix(ctx, team),
    loadRunning(ctx, team),
    listReleases(sql, { team, limit: 10 }),
    recentCounts(sql, new Date(now.getTime() - WEEK_MS).toISOString(), team),
  ]);
  const total = Object.values(week.byStatus).reduce((sum, n) => sum + n, 0);
  return {
    now,
    team,
    teams,
    environments: matrix.environments,
    cells: matrix.cells,
    running: running.releases,
    runningMore: running.more,
    recent: recent.docs.map(parseReleaseDoc),
    week: { deployments: total, failed: week.byStatus.failed ?? 0, rollbacks: week.rollbacks },
  };
}
