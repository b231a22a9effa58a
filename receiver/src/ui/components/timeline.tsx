import type { Release, Status } from "@sponge/core";
import { formatDuration } from "../format.js";

interface Span {
  label: string;
  status: Status;
  start: number;
  end: number;
  durationMs: number | null;
}

function span(
  label: string,
  status: Status,
  started: string | null,
  finished: string | null,
  now: number,
): Span | null {
  const start = started ? Date.parse(started) : Number.NaN;
  if (!Number.isFinite(start)) return null;
  const end = finished ? Date.parse(finished) : now;
  return { label, status, start, end: Math.max(end, start), durationMs: finished ? end - start : null };
}

/**
 * When each package and host ran, as CSS bars on a common time axis from the release's start to its
 * end (or now, while it runs).
 */
export function Timeline(props: { release: Release; now: Date }) {
  const now = props.now.getTime();
  const { release } = props;
  const packages = release.packages
    .map((p) => span(p.name, p.status, p.started_at, p.finished_at, now))
    .filter((s): s is Span => s !== null);
  const hosts = release.hosts
    .map((h) =>
      span(h.package ? `${h.name} (${h.package})` : h.name, h.status, h.started_at, h.finished_at, now),
    )
    .filter((s): s is Span => s !== null);
  const whole = span("release", release.status, release.started_at, release.finished_at, now);
  const all = [...(whole ? [whole] : []), ...packages, ...hosts];
  if (packages.length + hosts.length === 0 || !whole) {
    return <p class="empty">No package or host timings were reported.</p>;
  }
  const t0 = Math.min(...all.map((s) => s.start));
  const t1 = Math.max(...all.map((s) => s.end));
  const total = Math.max(t1 - t0, 1);
  const Row = (p: { item: Span }) => {
    const left = ((p.item.start - t0) / total) * 100;
    const width = ((p.item.end - p.item.start) / total) * 100;
    return (
      <li>
        <span class="label" title={p.item.label}>
          {p.item.label}
        </span>
        <span class="track" aria-hidden="true">
          <span
            class={`bar status-${p.item.status}`}
            style={`left:${left.toFixed(2)}%;width:${width.toFixed(2)}%`}
          />
        </span>
        <span class="dur">
          {p.item.durationMs === null ? `${p.item.status}…` : formatDuration(p.item.durationMs)}
          <span class="visually-hidden">
            , {p.item.status}, starting {formatDuration(p.item.start - t0)} after the release began
          </span>
        </span>
      </li>
    );
  };
  return (
    <ul class="timeline" aria-label="Timeline of the release, its packages and hosts">
      <Row item={whole} />
      {packages.length > 0 ? (
        <li class="group-row">
          <span class="group">Packages</span>
        </li>
      ) : null}
      {packages.map((item) => (
        <Row item={item} />
      ))}
      {hosts.length > 0 ? (
        <li class="group-row">
          <span class="group">Hosts</span>
        </li>
      ) : null}
      {hosts.map((item) => (
        <Row item={item} />
      ))}
    </ul>
  );
}
