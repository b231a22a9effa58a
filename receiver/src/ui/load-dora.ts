import { type DoraFigures, type DoraSummary, summarizeDora, tierOf } from "@sponge/core";
import type { AppContext } from "../app-context.js";
import { doraFacts, type TaggedFact } from "./dora-facts.js";
import { orderEnvironments } from "./environments.js";
import type { DoraData } from "./pages/dora-page.js";
import { distinctValues, drift } from "./queries.js";
import { DORA_RANGES, doraQuery, parseQuery } from "./query-params.js";

const DAY_MS = 86_400_000;
const TIER_PREFIX = "tier:";
/** Environments summarised in the per-environment table. */
const ENVIRONMENT_ROWS = 12;

/** The DORA page for the scope, window and drift pair in `query`. */
export async function loadDora(ctx: AppContext, query: Record<string, string>): Promise<DoraData> {
  const sql = ctx.store.reader;
  const config = ctx.config.sponge;
  const now = ctx.clock();
  const parsed = parseQuery(doraQuery, query);
  const settings = parsed.ok ? parsed.value : doraQuery.parse({});
  const [environmentNames, teams] = await Promise.all([
    distinctValues(sql, "environment"),
    distinctValues(sql, "team"),
  ]);
  const environments = orderEnvironments(environmentNames, config);
  const tiers = [...new Set(environments.map((name) => tierOf(config, name)))];

  const chosen = settings.environment ?? config.defaultEnvironment;
  const tier = chosen.startsWith(TIER_PREFIX) ? chosen.slice(TIER_PREFIX.length) : undefined;
  const scoped = tier === undefined ? [chosen] : environments.filter((name) => tierOf(config, name) === tier);
  const scopeLabel =
    (tier === undefined ? chosen : `every ${tier}-tier environment`) +
    (settings.team === undefined ? "" : `, team ${settings.team}`);

  const to = now.getTime();
  const from = to - DORA_RANGES[settings.range] * DAY_MS;
  const window = { from, to, interval: settings.interval };
  const summaryOf = (facts: readonly TaggedFact[]): DoraSummary | undefined => summarizeDora(facts, window);
  const totals = (facts: readonly TaggedFact[]): DoraFigures | undefined => {
    const summary = summaryOf(facts);
    if (!summary) return undefined;
    const { series: _series, ...figures } = summary;
    return figures;
  };

  const perEnvironment = environments.slice(0, ENVIRONMENT_ROWS);
  const facts = await doraFacts(sql, {
    environments: [...new Set([...scoped, ...perEnvironment])],
    team: settings.team,
    from,
    to,
  });
  const scopedFacts = facts.filter((fact) => scoped.includes(fact.environment));

  const teamGroups = new Map<string, TaggedFact[]>();
  for (const fact of scopedFacts) {
    const team = fact.team ?? "(no team)";
    teamGroups.set(team, [...(teamGroups.get(team) ?? []), fact]);
  }
  const byTeam = [...teamGroups]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([team, group]) => {
      const figures = totals(group);
      return figures ? [{ team, figures }] : [];
    });
  const byEnvironment = perEnvironment.flatMap((environment) => {
    const figures = totals(facts.filter((fact) => fact.environment === environment));
    return figures && figures.change_failure_rate.finished > 0 ? [{ environment, figures }] : [];
  });

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
      drift_from: settings.drift_from,
      drift_to: settings.drift_to,
    },
    errors: parsed.ok ? [] : parsed.errors,
    scopeLabel,
    options: { environments, tiers, teams },
    summary: summaryOf(scopedFacts) ?? null,
    byTeam,
    byEnvironment,
    drift: driftRows,
  };
}
