import type { AppContext } from "../app-context.js";
import { listReleases } from "../store/release-reads.js";
import { orderEnvironments } from "./environments.js";
import type { OverviewData } from "./page-data.js";
import { distinctValues, matrixCells, newestRelease, ongoingReleases, recentCounts } from "./queries.js";
import { parseReleaseDoc } from "./release-docs.js";
import { runningSignature } from "./running-signature.js";

const WEEK_MS = 7 * 86_400_000;
/** Running and queued releases listed on the overview (the rest are one click away). */
export const RUNNING_LIMIT = 25;
/** Latest releases listed on the overview. */
export const RECENT_LIMIT = 10;

/** The ongoing releases: running ones, then queued ones, each newest first, on the status index. */
export function loadRunning(ctx: AppContext, team: string | undefined) {
  return ongoingReleases(ctx.store.reader, team, RUNNING_LIMIT);
}

/**
 * What the live overview polls: the ongoing releases and the signature that tells the page when its
 * other parts are out of date (three index seeks; the counts and lists behind those parts are read only
 * when it changes).
 */
export async function loadLive(ctx: AppContext, team: string | undefined) {
  const [running, newest] = await Promise.all([
    loadRunning(ctx, team),
    newestRelease(ctx.store.reader, team),
  ]);
  return { ...running, signature: runningSignature(running.releases, newest) };
}

/** The overview's figures for the seven days before `now`. */
export async function loadWeek(ctx: AppContext, team: string | undefined, now: Date) {
  const week = await recentCounts(ctx.store.reader, new Date(now.getTime() - WEEK_MS).toISOString(), team);
  const deployments = Object.values(week.byStatus).reduce((sum, n) => sum + n, 0);
  return { deployments, failed: week.byStatus.failed ?? 0, rollbacks: week.rollbacks };
}

/** The latest releases the overview lists. */
export async function loadRecent(ctx: AppContext, team: string | undefined) {
  const recent = await listReleases(ctx.store.reader, { team, limit: RECENT_LIMIT });
  return recent.docs.map(parseReleaseDoc);
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
  const [teams, matrix, running, recent, week] = await Promise.all([
    distinctValues(ctx.store.reader, "team"),
    loadMatrix(ctx, team),
    loadRunning(ctx, team),
    loadRecent(ctx, team),
    loadWeek(ctx, team, now),
  ]);
  return {
    now,
    team,
    teams,
    environments: matrix.environments,
    cells: matrix.cells,
    running: running.releases,
    runningMore: running.more,
    recent,
    week,
  };
}
