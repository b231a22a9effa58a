import type { Package, Release } from "@sponge/core";
import { formatDuration } from "../format.js";
import { releasePath } from "../links.js";
import { ReferenceLink } from "./reference-link.js";
import { AbsTime, RelTime } from "./rel-time.js";
import { RollbackBadge, StatusBadge } from "./status-badge.js";

/** Packages as `name version`, with the version they replaced. */
export function PackageList(props: { packages: readonly Package[] }) {
  if (props.packages.length === 0) return <span class="muted">no package</span>;
  return (
    <ul class="pkg-list">
      {props.packages.map((pkg) => (
        <li>
          <strong>{pkg.name}</strong> <code>{pkg.version ?? "?"}</code>
          {pkg.previous_version !== null && pkg.previous_version !== pkg.version ? (
            <span class="prev">
              {" "}
              ← <code>{pkg.previous_version}</code>
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A release's Person and Team cells; either may be a long word, so each wraps in a column of its own. */
export function PersonAndTeam(props: { release: Release }) {
  const cell = (value: string | null) =>
    value ? <span class="who">{value}</span> : <span class="muted">—</span>;
  return (
    <>
      <td data-label="Person">{cell(props.release.person)}</td>
      <td data-label="Team">{cell(props.release.team)}</td>
    </>
  );
}

/** A table of releases, newest first; each row links to its release. */
export function ReleaseTable(props: { releases: readonly Release[]; now: Date; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="stack">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Environment</th>
            <th scope="col">Packages</th>
            <th scope="col">Person</th>
            <th scope="col">Team</th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col">References</th>
          </tr>
        </thead>
        <tbody>
          {props.releases.map((release) => (
            <tr>
              <td data-label="Started" class="nowrap">
                <a href={releasePath(release.id)}>
                  <AbsTime iso={release.started_at} />
                </a>
                <br />
                <span class="small muted">
                  <RelTime iso={release.started_at} now={props.now} />
                </span>
              </td>
              <td data-label="Status">
                <StatusBadge status={release.status} /> {release.rollback ? <RollbackBadge /> : null}
              </td>
              <td data-label="Environment">{release.environment}</td>
              <td data-label="Packages">
                <PackageList packages={release.packages} />
              </td>
              <PersonAndTeam release={release} />
              <td data-label="Duration" class="num nowrap">
                {release.finished_at === null && release.status === "running" ? (
                  <span class="muted">running</span>
                ) : (
                  formatDuration(release.duration_ms)
                )}
              </td>
              <td data-label="References">
                {release.references.slice(0, 4).map((reference, i) => (
                  <>
                    {i > 0 ? ", " : ""}
                    <ReferenceLink reference={reference} compact />
                  </>
                ))}
                {release.references.length > 4 ? (
                  <span class="muted"> +{release.references.length - 4}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
