import type { DoraFigures, DoraInterval, DoraSummary, Release } from "@sponge/core";
import type { DriftRow, MatrixCell } from "./queries.js";

/*
 * What each page shows, loaded by the load-*.ts files and rendered by pages/*.tsx. Kept apart from the
 * JSX so that plain TypeScript modules never import .tsx files for their types.
 */

export interface OverviewData {
  now: Date;
  team: string | undefined;
  teams: readonly string[];
  environments: readonly string[];
  cells: readonly MatrixCell[];
  running: readonly Release[];
  runningMore: boolean;
  recent: readonly Release[];
  week: { deployments: number; failed: number; rollbacks: number };
}

export interface ReleasesData {
  now: Date;
  /** The filters as the URL spells them (refilled into the form, kept in the pager links). */
  values: Readonly<Record<string, string | undefined>>;
  errors: readonly string[];
  releases: readonly Release[];
  /** The cursor of the next (older) page. */
  next: string | null;
  paged: boolean;
  options: {
    environments: readonly string[];
    teams: readonly string[];
    people: readonly string[];
    packages: readonly string[];
  };
}

/** A log line as the release page shows it. */
export interface LogLineRow {
  id: number;
  ts: string;
  level: string;
  host: string | null;
  message: string;
}

export interface ReleaseData {
  now: Date;
  release: Release;
  logs: readonly LogLineRow[];
  /** `logs_after` of the next page of logs, when there is one. */
  logsNext: number | null;
  logsAfter: number;
}

export interface DoraData {
  now: Date;
  values: Readonly<Record<string, string | undefined>>;
  errors: readonly string[];
  /** "production" or "every production-tier environment", with ", team web" when a team is chosen. */
  scopeLabel: string;
  /** The environments alone: "production" or "every production-tier environment". */
  placeLabel: string;
  options: { environments: readonly string[]; tiers: readonly string[]; teams: readonly string[] };
  summary: DoraSummary | null;
  /** The period of the summary's series. */
  interval: DoraInterval;
  byTeam: readonly { team: string; figures: DoraFigures }[];
  /** Teams left out of the per-team table (it has at most TEAM_ROWS rows, the chosen team among them). */
  teamsNotShown: readonly string[];
  byEnvironment: readonly { environment: string; figures: DoraFigures }[];
  /** Environments left out of the per-environment table (it has at most ENVIRONMENT_ROWS rows and the production tier). */
  environmentsNotShown: readonly string[];
  drift: { from: string; to: string; rows: readonly DriftRow[] } | null;
  /** The chosen environment, when no release was ever recorded there (a typo, or one not used yet). */
  unknownEnvironment: string | null;
}
