import type { Release } from "@sponge/core";
import { Layout } from "../components/layout.js";
import { Matrix } from "../components/matrix.js";
import { ReleaseTable } from "../components/release-table.js";
import { RunningReleases } from "../components/running-releases.js";
import { RollbackBadge, StatusBadge } from "../components/status-badge.js";
import { queryString } from "../links.js";
import type { OverviewData } from "../page-data.js";
import { runningSignature } from "../running-signature.js";

/** The overview's figures; rendered into the page and again by their live fragment. */
export function OverviewStats(props: { running: number; runningMore: boolean; week: OverviewData["week"] }) {
  return (
    <>
      <div>
        <dt>Releases, last 7 days</dt>
        <dd>{props.week.deployments}</dd>
      </div>
      <div>
        <dt>Failed, last 7 days</dt>
        <dd>{props.week.failed}</dd>
      </div>
      <div>
        <dt>Rollbacks, last 7 days</dt>
        <dd>{props.week.rollbacks}</dd>
      </div>
      <div>
        <dt>Deploying now</dt>
        <dd data-running-count="">
          {props.running}
          {props.runningMore ? "+" : ""}
        </dd>
      </div>
    </>
  );
}

/** The latest releases; rendered into the page and again by their live fragment. */
export function LatestReleases(props: {
  releases: readonly Release[];
  now: Date;
  team?: string | undefined;
}) {
  if (props.releases.length === 0) {
    return props.team ? (
      <p class="empty">No release of {props.team} has been recorded yet.</p>
    ) : (
      <p class="empty">
        No release has been recorded yet. <a href="/docs">The API</a>, the CLI and the GitHub Action send
        them.
      </p>
    );
  }
  return <ReleaseTable releases={props.releases} now={props.now} caption="The latest releases" />;
}

/** The figures as a live fragment. */
export const renderStats = async (props: Parameters<typeof OverviewStats>[0]) =>
  String(await (<OverviewStats {...props} />));

/** What is deploying now as a live fragment. */
export const renderOngoing = async (props: Parameters<typeof RunningReleases>[0]) =>
  String(await (<RunningReleases {...props} />));

/** The latest releases as a live fragment. */
export const renderRecent = async (props: Parameters<typeof LatestReleases>[0]) =>
  String(await (<LatestReleases {...props} />));

/** GET /: the matrix of current versions, what is deploying now, the latest releases. */
export function OverviewPage(props: OverviewData) {
  const teamQuery = queryString({ team: props.team });
  return (
    <Layout title="Overview" section="overview" now={props.now}>
      <div class="page-head">
        <div>
          <h1>Overview</h1>
          <p>What runs where, who deployed it, and what is deploying now.</p>
        </div>
        <form method="get" action="/" class="actions" data-clean-query="">
          <div class="field">
            <label for="team-filter">Team</label>
            <select id="team-filter" name="team">
              <option value="">All teams</option>
              {props.teams.map((team) => (
                <option value={team} selected={team === props.team}>
                  {team}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Show</button>
        </form>
      </div>

      <dl class="stats" id="stats" data-live-src={`/ui/live/stats${teamQuery}`} data-live-follow="running">
        <OverviewStats running={props.running.length} runningMore={props.runningMore} week={props.week} />
      </dl>

      <section class="card" aria-labelledby="running-heading">
        <div class="card-head">
          <h2 id="running-heading">Deploying now</h2>
          <span class="live-status" data-live-status="running" data-state="ok">
            <span class="live-dot" aria-hidden="true" />
            <span data-live-text="">Live</span>
          </span>
        </div>
        <div
          id="running"
          data-live-src={`/ui/live/running${teamQuery}`}
          data-live-interval="3"
          data-signature={runningSignature(props.running, props.recent[0])}
        >
          <RunningReleases
            releases={props.running}
            now={props.now}
            more={props.runningMore}
            team={props.team}
          />
        </div>
        <div class="visually-hidden" aria-live="polite" data-live-announce="running" />
      </section>

      <section class="card" aria-labelledby="matrix-heading">
        <div class="card-head">
          <h2 id="matrix-heading">Current versions{props.team ? ` of ${props.team}` : ""}</h2>
          <ul class="legend" aria-label="Legend">
            <li>
              <StatusBadge status="succeeded" label="current" />
            </li>
            <li>
              <RollbackBadge />
            </li>
            <li>
              <StatusBadge status="failed" label="newer attempt failed" />
            </li>
            <li>
              <StatusBadge status="running" label="deploying" />
            </li>
          </ul>
        </div>
        <div id="matrix" data-live-src={`/ui/live/matrix${teamQuery}`} data-live-follow="running">
          <Matrix cells={props.cells} environments={props.environments} now={props.now} />
        </div>
      </section>

      <section class="card" aria-labelledby="recent-heading">
        <div class="card-head">
          <h2 id="recent-heading">Latest releases</h2>
          <a href={`/releases${teamQuery}`}>All releases</a>
        </div>
        <div id="recent" data-live-src={`/ui/live/recent${teamQuery}`} data-live-follow="running">
          <LatestReleases releases={props.recent} now={props.now} team={props.team} />
        </div>
      </section>
    </Layout>
  );
}
