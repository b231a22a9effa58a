import { type SpongeConfig, type Tier, tierOf } from "@sponge/core";

const TIER_RANK = { development: 0, testing: 1, staging: 2, production: 3 } as const;

/** Every tier, most important (production) first. */
export const TIERS: readonly Tier[] = (Object.keys(TIER_RANK) as Tier[]).reverse();

/** `tier` is one of {@link TIERS}. */
export const isTier = (tier: string): tier is Tier => Object.hasOwn(TIER_RANK, tier);

/**
 * Environments in the order a deployment travels: development, testing, staging, production tiers
 * (configured or guessed from the name), then the config file's order, then by name.
 *
 * @example orderEnvironments(["production", "dev", "staging"], defaultConfig) // ["dev", "staging", "production"]
 */
export function orderEnvironments(names: Iterable<string>, config: SpongeConfig): string[] {
  const configured = Object.keys(config.environments);
  const rank = (name: string) => {
    const index = configured.indexOf(name);
    return index < 0 ? configured.length : index;
  };
  return [...new Set(names)].sort(
    (a, b) =>
      TIER_RANK[tierOf(config, a)] - TIER_RANK[tierOf(config, b)] || rank(a) - rank(b) || a.localeCompare(b),
  );
}

/**
 * At most `limit` of the `ordered` environments (as {@link orderEnvironments} gives them) for a table
 * with one row each, in the same order. Production-tier environments and those in `keep` are always
 * shown, even past the limit; the remaining rows go to the staging, then testing, then development
 * tier. `hidden` lists the rest, for the page to say they were left out.
 *
 * @example pickEnvironments(["dev", "qa", "staging", "production"], defaultConfig, 2) // { shown: ["staging", "production"], hidden: ["dev", "qa"] }
 */
export function pickEnvironments(
  ordered: readonly string[],
  config: SpongeConfig,
  limit: number,
  keep: readonly string[] = [],
): { shown: string[]; hidden: string[] } {
  const must = ordered.filter((name) => tierOf(config, name) === "production" || keep.includes(name));
  const byImportance = ordered
    .map((name, index) => ({ name, index, rank: TIER_RANK[tierOf(config, name)] }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map((entry) => entry.name);
  const chosen = new Set(must);
  for (const name of byImportance) {
    if (chosen.size >= limit) break;
    chosen.add(name);
  }
  return {
    shown: ordered.filter((name) => chosen.has(name)),
    hidden: ordered.filter((name) => !chosen.has(name)),
  };
}
