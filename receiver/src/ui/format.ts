const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration for people: the two largest units.
 *
 * @example formatDuration(200_000) // "3 min 20 s"
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  const units: [number, string][] = [
    [DAY, "d"],
    [HOUR, "h"],
    [MINUTE, "min"],
    [SECOND, "s"],
  ];
  const rounded = Math.round(ms / SECOND) * SECOND;
  const first = units.findIndex(([size]) => rounded >= size);
  const [size, label] = units[first] ?? [SECOND, "s"];
  const major = Math.floor(rounded / size);
  const next = units[first + 1];
  const minor = next ? Math.floor((rounded - major * size) / next[0]) : 0;
  return next && minor > 0 ? `${major} ${label} ${minor} ${next[1]}` : `${major} ${label}`;
}

/**
 * How long ago `iso` was, relative to `now`.
 *
 * @example timeAgo("2026-01-01T10:00:00Z", new Date("2026-01-01T13:00:00Z")) // "3 h ago"
 */
export function timeAgo(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  if (ms < 0) return "in the future";
  if (ms < MINUTE) return "just now";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  if (ms < 60 * DAY) return `${Math.floor(ms / DAY)} d ago`;
  return `${Math.floor(ms / (30 * DAY))} mo ago`;
}

/**
 * An ISO timestamp as `YYYY-MM-DD HH:MM UTC` (the receiver stores UTC; the page says so).
 *
 * @example formatDateTime("2026-03-04T12:34:56.000Z") // "2026-03-04 12:34 UTC"
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `YYYY-MM-DD` of an ISO timestamp (UTC). */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

/** The first 7 characters of a commit sha. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{8,}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/** The first line of a commit message. */
export function firstLine(text: string | null | undefined): string {
  return (text ?? "").split(/\r?\n/, 1)[0] ?? "";
}

/** A percentage with at most one decimal. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  const value = ratio * 100;
  return `${value >= 10 || value === 0 ? Math.round(value) : value.toFixed(1)} %`;
}

/**
 * A log line's time of day, with its date when that differs from the line before it (or, for the first
 * line, from the release's start), so lines of a release that ran past midnight say which day they are.
 *
 * @example logTime("2026-03-02T00:00:05.000Z", "2026-03-01T23:59:58.000Z") // "2026-03-02 00:00:05"
 */
export function logTime(ts: string, before: string): string {
  const time = ts.slice(11, 19);
  return ts.slice(0, 10) === before.slice(0, 10) ? time : `${ts.slice(0, 10)} ${time}`;
}
