import type { SpongeConfig } from "../config.js";
import { matchesAnyGlob } from "./glob.js";

export interface TeamEvidence {
  /** Package names of the release (explicit or inferred). */
  packages: readonly string[];
  repository?: string | undefined;
  /** CODEOWNERS owners of the changed files, most files first (`ci.codeowners_teams`). */
  codeowners?: readonly string[] | undefined;
}

export interface TeamChoice {
  team: string | null;
  source: string | null;
}

/**
 * Infers the owning team: configured package globs (any team), then configured repository
 * globs, then CODEOWNERS owners in order (most changed files first): an owner listed in a
 * team's `codeowners` means that team, an unlisted `@org/team` means `team`; individual users
 * and e-mail addresses are not teams and are skipped unless configured.
 *
 * @example inferTeam({ packages: [], codeowners: ["@acme/web-team"] }, defaultConfig) // { team: "web-team", source: "ci.codeowners_teams" }
 */
export function inferTeam(evidence: TeamEvidence, config: SpongeConfig): TeamChoice {
  for (const [index, rule] of config.teams.entries()) {
    if (evidence.packages.some((name) => matchesAnyGlob(name, rule.packages))) {
      return { team: rule.team, source: `config:teams[${index}].packages` };
    }
  }
  const repository = evidence.repository;
  if (repository) {
    for (const [index, rule] of config.teams.entries()) {
      if (matchesAnyGlob(repository, rule.repositories, { nocase: true })) {
        return { team: rule.team, source: `config:teams[${index}].repositories` };
      }
    }
  }
  for (const owner of evidence.codeowners ?? []) {
    const wanted = owner.trim().toLowerCase();
    const index = config.teams.findIndex((rule) => rule.codeowners.some((o) => o.toLowerCase() === wanted));
    const rule = config.teams[index];
    if (rule) return { team: rule.team, source: `config:teams[${index}].codeowners` };
    const team = /^@[\w.-]+\/([\w.-]+)$/.exec(owner.trim())?.[1];
    if (team) return { team, source: "ci.codeowners_teams" };
  }
  return { team: null, source: null };
}
