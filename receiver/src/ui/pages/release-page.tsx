import type { Release } from "@sponge/core";
import { Layout } from "../components/layout.js";
import { ReferenceLink } from "../components/reference-link.js";
import { AbsTime, RelTime } from "../components/rel-time.js";
import { RollbackBadge, StatusBadge } from "../components/status-badge.js";
import { Timeline } from "../components/timeline.js";
import { firstLine, formatDateTime, formatDuration, logTime, shortSha } from "../format.js";
import { inferredValue } from "../inferred-value.js";
import { commitUrl, queryString, releasePath, repositoryUrl, safeUrl } from "../links.js";
import type { ReleaseData } from "../page-data.js";
import { releaseLive } from "../running-signature.js";

function title(release: Release): string {
  const packages = release.packages.map((p) => (p.version ? `${p.name} ${p.version}` : p.name));
  const what =
    packages.length === 0
      ? "Release"
      : packages.length > 2
        ? `${packages.length} packages`
        : packages.join(", ");
  return `${what} to ${release.environment}`;
}

function onGitHub(release: Release): boolean {
  const provider = release.ci?.provider ?? release.source;
  return provider === "github" || provider === "github-action";
}

function Json(props: { value: unknown }) {
  return <pre class="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** GET /releases/:id: everything Sponge knows about one release. */
export function ReleasePage(props: ReleaseData) {
  const { release } = props;
  const github = onGitHub(release);
  const repoUrl = github ? repositoryUrl(release.repository) : undefined;
  const runUrl = safeUrl(release.url) ?? safeUrl(release.ci?.run_url);
  const commitLink = (sha: string) => (github ? commitUrl(release.repository, sha) : undefined);
  const headline = title(release);
  const metadata = Object.keys(release.metadata).length > 0 ? release.metadata : null;
  return (
    <Layout title={headline} section="releases" now={props.now}>
      {/* While the release runs, the page script reloads this part of the page until it has ended. */}
      <div id="release-live" {...releaseLive(release, props.logsAfter)}>
        <nav aria-label="Breadcrumb" class="small">
          <a href="/releases">Releases</a> /{" "}
          <a href={`/releases${queryString({ environment: release.environment })}`}>{release.environment}</a>
        </nav>
        <div class="page-head">
          <div>
            <h1>{headline}</h1>
            <p>
              <StatusBadge status={release.status} /> {release.rollback ? <RollbackBadge /> : null}{" "}
              <span class="mono small">{release.id}</span>
            </p>
          </div>
          {runUrl ? (
            <a class="button secondary" href={runUrl} rel="noopener noreferrer">
              Open the CI run
            </a>
          ) : null}
        </div>

        <div class="grid-2">
          <section class="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading">Summary</h2>
            <dl class="facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={release.status} />
              </dd>
              <dt>Environment</dt>
              <dd>{release.environment}</dd>
              <dt>Person</dt>
              <dd>
                {release.person ? (
                  <a href={`/releases${queryString({ person: release.person })}`}>{release.person}</a>
                ) : (
                  "—"
                )}
              </dd>
              <dt>Team</dt>
              <dd>
                {release.team ? (
                  <a href={`/releases${queryString({ team: release.team })}`}>{release.team}</a>
                ) : (
                  "—"
                )}
              </dd>
              <dt>Started</dt>
              <dd>
                <AbsTime iso={release.started_at} /> (<RelTime iso={release.started_at} now={props.now} />)
              </dd>
              <dt>Finished</dt>
              <dd>
                <AbsTime iso={release.finished_at} />
              </dd>
              <dt>Duration</dt>
              <dd>{release.finished_at ? formatDuration(release.duration_ms) : "still running"}</dd>
              <dt>Lead time</dt>
              <dd>{formatDuration(release.lead_time_ms)}</dd>
              <dt>Source</dt>
              <dd>{release.source}</dd>
              <dt>Repository</dt>
              <dd>
                {repoUrl ? (
                  <a href={repoUrl} rel="noopener noreferrer">
                    {release.repository}
                  </a>
                ) : (
                  (release.repository ?? "—")
                )}
              </dd>
              <dt>Commit</dt>
              <dd>
                {release.commit ? (
                  commitLink(release.commit) ? (
                    <a class="mono" href={commitLink(release.commit)} rel="noopener noreferrer">
                      {shortSha(release.commit)}
                    </a>
                  ) : (
                    <span class="mono">{shortSha(release.commit)}</span>
                  )
                ) : (
                  "—"
                )}
              </dd>
              <dt>Ref</dt>
              <dd class="mono">{release.ref ?? "—"}</dd>
              <dt>CI run</dt>
              <dd>
                {runUrl ? (
                  <a href={runUrl} rel="noopener noreferrer">
                    {runUrl}
                  </a>
                ) : (
                  "—"
                )}
              </dd>
              {release.platforms.length > 0 ? (
                <>
                  <dt>Platforms</dt>
                  <dd>{release.platforms.join(", ")}</dd>
                </>
              ) : null}
            </dl>
          </section>

          <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <Timeline release={release} now={props.now} />
          </section>
        </div>

        <section class="card" aria-labelledby="packages-heading">
          <h2 id="packages-heading">Packages</h2>
          {release.packages.length === 0 ? (
            <p class="empty">This release names no package.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Package</th>
                    <th scope="col">Version</th>
                    <th scope="col">Previous version</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Duration
                    </th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  {release.packages.map((pkg) => {
                    const diff = safeUrl(pkg.diff_url);
                    return (
                      <tr>
                        <th scope="row">
                          <span class="pkg-name">
                            <a
                              href={`/releases${queryString({ package: pkg.name, environment: release.environment })}`}
                            >
                              {pkg.name}
                            </a>
                          </span>
                        </th>
                        <td class="mono">{pkg.version ?? "—"}</td>
                        <td class="mono">
                          {pkg.previous_version ?? <span class="muted">first deployment</span>}
                        </td>
                        <td>
                          <StatusBadge status={pkg.status} /> {pkg.rollback ? <RollbackBadge /> : null}
                        </td>
                        <td class="num">{formatDuration(pkg.duration_ms)}</td>
                        <td>
                          {diff ? (
                            <a href={diff} rel="noopener noreferrer">
                              Compare
                            </a>
                          ) : (
                            "—"
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section class="card" aria-labelledby="hosts-heading">
          <h2 id="hosts-heading">Hosts</h2>
          {release.hosts.length === 0 ? (
            <p class="empty">No host results were reported.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Host</th>
                    <th scope="col">Package</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Duration
                    </th>
                    <th scope="col">Message</th>
                  </tr>
                </thead>
                <tbody>
                  {release.hosts.map((host) => (
                    <tr>
                      <th scope="row">
                        <a href={`/releases${queryString({ host: host.name })}`}>{host.name}</a>
                      </th>
                      <td>{host.package ? <span class="pkg-name">{host.package}</span> : "—"}</td>
                      <td>
                        <StatusBadge status={host.status} />
                      </td>
                      <td class="num">{formatDuration(host.duration_ms)}</td>
                      <td class="wrap">{host.message ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <div class="grid-2">
          <section class="card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">Notes</h2>
            {release.notes.length === 0 ? (
              <p class="empty">No notes.</p>
            ) : (
              <ul class="wrap">
                {release.notes.map((note) => (
                  <li>{note}</li>
                ))}
              </ul>
            )}
            <h2 id="references-heading">References</h2>
            {release.references.length === 0 ? (
              <p class="empty">No references.</p>
            ) : (
              <ul class="wrap" aria-labelledby="references-heading">
                {release.references.map((reference) => (
                  <li>
                    <ReferenceLink reference={reference} repository={release.repository} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="inferred-heading">
            <h2 id="inferred-heading">Inferred</h2>
            {Object.keys(release.inferred).length === 0 ? (
              <p class="empty">Every field was given explicitly.</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <caption>Fields Sponge worked out, and where each value came from</caption>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Value</th>
                      <th scope="col">Taken from</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(release.inferred).map(([field, source]) => (
                      <tr>
                        <th scope="row">
                          <BreakAtDots text={field} />
                        </th>
                        <td class="mono wrap">{inferredValue(release, field)}</td>
                        <td class="mono">
                          <BreakAtDots text={source} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>

        <section class="card" aria-labelledby="commits-heading">
          <h2 id="commits-heading">Commits</h2>
          {release.commits.length === 0 ? (
            <p class="empty">No commits were reported.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Commit</th>
                    <th scope="col">Message</th>
                    <th scope="col">Author</th>
                    <th scope="col">Committed</th>
                  </tr>
                </thead>
                <tbody>
                  {release.commits.map((commit) => {
                    const link = commitLink(commit.sha);
                    return (
                      <tr>
                        <td class="mono">
                          {link ? (
                            <a href={link} rel="noopener noreferrer">
                              {shortSha(commit.sha)}
                            </a>
                          ) : (
                            shortSha(commit.sha)
                          )}
                        </td>
                        <td class="wrap">{firstLine(commit.message)}</td>
                        <td class="wrap">{commit.author ?? "—"}</td>
                        <td class="nowrap">
                          <AbsTime iso={commit.timestamp} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section class="card" aria-labelledby="logs-heading">
          <div class="card-head">
            <h2 id="logs-heading">Logs</h2>
            {props.logs.length > 0 ? (
              <a class="small" href={`/api/releases/${encodeURIComponent(release.id)}/logs`}>
                As JSON
              </a>
            ) : null}
          </div>
          {props.logs.length === 0 ? (
            <p class="empty">{props.logsAfter > 0 ? "No more log lines." : "No log lines were sent."}</p>
          ) : (
            <div class="table-wrap">
              <table class="logs">
                <caption class="visually-hidden">Log lines</caption>
                <thead class="visually-hidden">
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Level</th>
                    <th scope="col">Host</th>
                    <th scope="col">Message</th>
                  </tr>
                </thead>
                <tbody>
                  {props.logs.map((line, i) => (
                    <tr class={`level-${line.level.toLowerCase()}`}>
                      <td class="nowrap muted">
                        <time datetime={line.ts} title={formatDateTime(line.ts)}>
                          {logTime(line.ts, props.logs[i - 1]?.ts ?? release.started_at)}
                        </time>
                      </td>
                      <td>{line.level}</td>
                      <td class="muted nowrap">{line.host ?? ""}</td>
                      <td>{line.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="pager" aria-label="Log pages">
            {props.logsAfter > 0 ? <a href={releasePath(release.id)}>← First log lines</a> : <span />}
            {props.logsNext !== null ? (
              <a href={`${releasePath(release.id)}?logs_after=${props.logsNext}#logs-heading`}>
                More log lines →
              </a>
            ) : null}
          </nav>
        </section>

        {release.ci || metadata ? (
          <section class="card" aria-labelledby="raw-heading">
            <h2 id="raw-heading">CI context and metadata</h2>
            {release.ci ? (
              <details>
                <summary>What the CI reported</summary>
                <Json value={release.ci} />
              </details>
            ) : null}
            {metadata ? (
              <details>
                <summary>Metadata</summary>
                <Json value={metadata} />
              </details>
            ) : null}
          </section>
        ) : null}
      </div>
    </Layout>
  );
}

/** A dotted path (`packages.@acme/api.diff_url`) that may wrap after its dots and slashes, and only there. */
function BreakAtDots(props: { text: string }) {
  return (
    <>
      {props.text.split(/(?<=[./:])/).map((part) => (
        <>
          {part}
          <wbr />
        </>
      ))}
    </>
  );
}
