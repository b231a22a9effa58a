import { type DoraFact, type DoraFigures, type DoraSummary, summarizeDora, tierOf } from "@sponge/core";
import type { AppContext } from "../app-context.js";
import { doraFacts } from "../store/dora-queries.js";
import { environmentNames } from "../store/read-queries.js";
import { isTier, orderEnvironments, pickEnvironments, TIERS } from "./environments.js";
import type { DoraData } from "./page-data.js";
import { distinctValues, drift } from "./queries.js";
import { DORA_RANGES, doraQuery, parseQuery, TIER_PREFIX } from "./query-params.js";

const DAY_MS = 86_400_000;
/**
 * Rows of the per-team and per-environment tables. Each row is one read of the window (the DORA
 * store query), so the tables are capped; the charts above them cover the whole scope, and the page
 * names what a table left out. The team table shows the first teams by name and always the chosen
 * one (see pickTeams); the environment table always keeps the production tier and the chosen scope,
 * and drops the least important tiers first (see pickEnvironments).
 */
export const TEAM_ROWS = 12;
export const ENVIRONMENT_ROWS = 8;

/** The DORA page for the scope, window and drift pair in `query`. */
export async function loadDora(ctx: AppContext, query: Record<string, string>): Promise<DoraData> {
  const sql = ctx.store.reader;
  const config = ctx.config.sponge;
  const now = ctx.clock();
  const parsed = parseQuery(doraQuery, query);
  const settings = parsed.ok ? parsed.value : doraQuery.parse({});
  const [environmentList, teams] = await Promise.all([environmentNames(sql), distinctValues(sql, "team")]);
  const environments = orderEnvironments(environmentList, config);

  const chosen = settings.environment ?? config.defaultEnvironment;
  const named = chosen.startsWith(TIER_PREFIX) ? chosen.slice(TIER_PREFIX.length) : undefined;
  // The query schema refuses unknown tiers, so `named` is one unless the default environment is spelt like a tier.
  const tier = named !== undefined && isTier(named) ? named : undefined;
  const scoped = tier === undefined ? [chosen] : environments.filter((name) => tierOf(config, name) === tier);
  // The dropdowns offer what the page shows, even a chosen environment or tier with no releases yet.
  const environmentOptions =
    tier !== undefined || environments.includes(chosen) ? environments : [...environments, chosen];
  const present = new Set(environments.map((name) => tierOf(config, name)));
  const tiers = [...TIERS].reverse().filter((name) => present.has(name) || name === tier);
  const placeLabel = tier === undefined ? chosen : `every ${tier}-tier environment`;
  const scopeLabel = placeLabel + (settings.team === undefined ? "" : `, team ${settings.team}`);

  const to = now.getTime();
  const from = to - DORA_RANGES[settings.range] * DAY_MS;
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const facts = (environmentsOf: readonly string[], team: string | undefined) =>
    doraFacts(sql, { environments: environmentsOf, ...window, team });
  const summarize = (list: readonly DoraFact[]): DoraSummary | undefined =>
    summarizeDora(list, { from, to, interval: settings.interval });
  const totals = (list: readonly DoraFact[]): DoraFigures | undefined => {
    const summary = summarize(list);
    if (!summary) return undefined;
    const { series: _series, ...figures } = summary;
    return figures;
  };

  const scopedFacts = await facts(scoped, settings.team);
  const teamRows = pickTeams(teams, TEAM_ROWS, settings.team);
  const byTeam: { team: string; figures: DoraFigures }[] = [];
  for (const team of teamRows.shown) {
    const figures = totals(team === settings.team ? scopedFacts : await facts(scoped, team));
    if (figures && figures.change_failure_rate.finished > 0) byTeam.push({ team, figures });
  }
  const environmentRows = pickEnvironments(environments, config, ENVIRONMENT_ROWS, scoped);
  const byEnvironment: { environment: string; figures: DoraFigures }[] = [];
  for (const environment of environmentRows.shown) {
    const figures = totals(await facts([environment], settings.team));
    if (figures && figures.change_failure_rate.finished > 0) byEnvironment.push({ environment, figures });
  }

  const driftFrom =
    settings.drift_from ?? environments.find((name) => tierOf(config, name) === "staging") ?? environments[0];
  const driftTo =
    settings.drift_to ??
    (environments.includes(config.defaultEnvironment)
      ? config.defaultEnvironment
      : environments.find((name) => tierOf(config, name) === "production"));
  const driftRows =
    driftFrom !== undefined && driftTo !== undefined && driftFrom !== driftTo
      ? { from: driftFrom, to: driftTo, rows: await drift(sql, driftFrom, driftTo) }
      : null;

  return {
    now,
    values: {
      environment: chosen,
      team: settings.team,
      range: settings.range,
      interval: settings.interval,
      // With nothing to compare (the same environment twice), the pair asked for stays chosen in the form.
      drift_from: settings.drift_from ?? (driftRows === null ? driftFrom : undefined),
      drift_to: settings.drift_to ?? (driftRows === null ? driftTo : undefined),
    },
    errors: parsed.ok ? [] : parsed.errors,
    unknownEnvironment: tier === undefined && !environments.includes(chosen) ? chosen : null,
    scopeLabel,
    placeLabel,
    options: { environments: environmentOptions, tiers, teams },
    summary: summarize(scopedFacts) ?? null,
    interval: settings.interval,
    byTeam,
    teamsNotShown: teamRows.hidden,
    byEnvironment,
    environmentsNotShown: environmentRows.hidden,
    drift: driftRows,
  };
}

/**
 * At most `limit` of the `teams` (sorted by name) for the per-team table, in the same order: the first
 * ones, and the chosen team in place of the last of them when it is not among them. `hidden` lists the
 * rest, for the page to say they were left out.
 *
 * @example pickTeams(["a", "b", "c", "d"], 2, "d") // { shown: ["a", "d"], hidden: ["b", "c"] }
 */
export function pickTeams(
  teams: readonly string[],
  limit: number,
  chosen: string | undefined,
): { shown: string[]; hidden: string[] } {
  const others = teams.filter((team) => team !== chosen);
  const picked = new Set(others.slice(0, Math.max(chosen === undefined ? limit : limit - 1, 0)));
  if (chosen !== undefined) picked.add(chosen);
  const shown = teams.filter((team) => picked.has(team));
  // A chosen team with no releases is not among the teams; it still gets its (empty) row.
  if (chosen !== undefined && !teams.includes(chosen)) shown.push(chosen);
  return { shown, hidden: others.filter((team) => !picked.has(team)) };
}
