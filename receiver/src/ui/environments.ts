import { type SpongeConfig, tierOf } from "@sponge/core";

const TIER_RANK = { development: 0, testing: 1, staging: 2, production: 3 } as const;

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
