import type { Release } from "@sponge/core";
import { formatDuration } from "./format-duration.js";

const MAX_COMMITS = 50;

/**
 * The job summary of a release, as HTML for `core.summary`: the release and its link,
 * status, versions, person and team, duration, lead time, references and commits. Every
 * value is escaped: commit messages are text, not markup.
 *
 * @example await core.summary.addRaw(renderSummary(release, url)).write()
 */
export function renderSummary(release: Release, releaseUrl: string): string {
  const first = release.packages[0];
  const title = first ? `${first.name}${first.version ? `@${first.version}` : ""}` : "release";
  const rows: Array<[string, string]> = [
    ["Release", `<a href="${escape(releaseUrl)}">${escape(release.id)}</a>`],
    ["Status", escape(release.status)],
    ["Environment", escape(release.environment)],
  ];
  for (const pkg of release.packages) {
    const change = pkg.previous_version
      ? `${pkg.previous_version} → ${pkg.version ?? "?"}`
      : (pkg.version ?? "—");
    rows.push([`Package ${escape(pkg.name)}`, `${escape(change)}${pkg.rollback ? " (rollback)" : ""}`]);
  }
  if (release.person) rows.push(["Person", escape(release.person)]);
  if (release.team) rows.push(["Team", escape(release.team)]);
  if (release.duration_ms !== null) rows.push(["Duration", formatDuration(release.duration_ms)]);
  if (release.lead_time_ms !== null) rows.push(["Lead time", formatDuration(release.lead_time_ms)]);
  if (release.references.length > 0) rows.push(["References", release.references.map(escape).join(", ")]);

  const table = rows
    .map(([name, value]) => `<tr><th align="left">${name}</th><td>${value}</td></tr>`)
    .join("\n");
  const parts = [
    `<h2>Sponge: ${escape(title)} to ${escape(release.environment)} — ${escape(release.status)}</h2>`,
    `<table>\n${table}\n</table>`,
  ];
  if (release.commits.length > 0) {
    const shown = release.commits.slice(-MAX_COMMITS).reverse();
    const items = shown.map((commit) => {
      const subject = commit.message?.split("\n")[0]?.trim() ?? "";
      const author = commit.author ? ` — ${escape(commit.author)}` : "";
      return `<li><code>${escape(commit.sha.slice(0, 7))}</code> ${escape(subject)}${author}</li>`;
    });
    const more = release.commits.length - shown.length;
    if (more > 0) items.push(`<li>and ${more} earlier</li>`);
    parts.push(`<h3>Commits (${release.commits.length})</h3>`, `<ul>\n${items.join("\n")}\n</ul>`);
  }
  return `${parts.join("\n")}\n`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
