import { isTerminal, type Release } from "@sponge/core";
import { formatDuration } from "../format.js";
import { queryString, releasePath } from "../links.js";
import { RelTime } from "./rel-time.js";
import { PackageList, PersonAndTeam } from "./release-table.js";
import { StatusBadge } from "./status-badge.js";

/**
 * What a screen reader hears when the list changes.
 *
 * @example announcement(1, 2) // "1 release running, 2 queued"
 */
export function announcement(running: number, queued: number): string {
  if (running + queued === 0) return "No release is running";
  const releases = (n: number) => `${n} release${n === 1 ? "" : "s"}`;
  if (queued === 0) return `${releases(running)} running`;
  if (running === 0) return `${releases(queued)} queued`;
  return `${releases(running)} running, ${queued} queued`;
}

/**
 * How long a release has been going: a running one's elapsed time, and for a queued one, which has not
 * started, how long it has been waiting.
 *
 * @example ongoingTime({ status: "queued", started_at: "2026-03-10T11:58:00Z" }, new Date("2026-03-10T12:00:00Z")) // "queued for 2 min"
 */
export function ongoingTime(release: Pick<Release, "status" | "started_at">, now: Date): string {
  const duration = formatDuration(now.getTime() - Date.parse(release.started_at));
  return release.status === "queued" ? `queued for ${duration}` : duration;
}

/**
 * Ongoing (running, then queued) releases of the team, if one is chosen; rendered into the page and
 * again by the live fragment endpoint.
 */
export function RunningReleases(props: {
  releases: readonly Release[];
  now: Date;
  more: boolean;
  team?: string | undefined;
}) {
  const count = props.releases.length;
  const queued = props.releases.filter((release) => release.status === "queued").length;
  const announce = announcement(count - queued, queued);
  if (count === 0) {
    return (
      <p class="empty" data-announce={announce} data-count={0}>
        No release is running or queued right now.
      </p>
    );
  }
  return (
    <div class="table-wrap" data-announce={announce} data-count={count}>
      <table class="stack">
        <caption class="visually-hidden">Releases running or queued now</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Environment</th>
            <th scope="col">Packages</th>
            <th scope="col">Person</th>
            <th scope="col">Team</th>
            <th scope="col" class="num">
              Elapsed
            </th>
            <th scope="col">Hosts</th>
          </tr>
        </thead>
        <tbody>
          {props.releases.map((release) => {
            const done = release.hosts.filter((host) => isTerminal(host.status)).length;
            const failed = release.hosts.filter((host) => host.status === "failed").length;
            return (
              <tr data-release-id={release.id}>
                <td data-label="Started" class="nowrap">
                  <a href={releasePath(release.id)}>
                    <RelTime iso={release.started_at} now={props.now} />
                  </a>{" "}
                  <StatusBadge status={release.status} />
                </td>
                <td data-label="Environment">{release.environment}</td>
                <td data-label="Packages">
                  <PackageList packages={release.packages} />
                </td>
                <PersonAndTeam release={release} />
                <td
                  data-label="Elapsed"
                  class={release.status === "queued" ? "num nowrap muted" : "num nowrap"}
                >
                  {ongoingTime(release, props.now)}
                </td>
                <td data-label="Hosts" class="nowrap">
                  {release.hosts.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    <>
                      {done} of {release.hosts.length} done
                      {failed > 0 ? <span class="status-failed badge">{failed} failed</span> : null}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.more ? (
        <p class="small">
          <a href={`/releases${queryString({ status: "running", team: props.team })}`}>
            All running releases
          </a>{" "}
          ·{" "}
          <a href={`/releases${queryString({ status: "queued", team: props.team })}`}>All queued releases</a>
        </p>
      ) : null}
    </div>
  );
}
