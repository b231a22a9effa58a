/**
 * Parses the timestamp spellings CI systems send into ISO 8601 UTC with milliseconds:
 * ISO 8601, epoch milliseconds or seconds (numbers or digit strings), GitLab's
 * `2021-04-28 21:50:00 +0200` and `2021-04-28 21:50:00 UTC`.
 * Returns `undefined` when the value is not a time.
 *
 * @example parseTimestamp("2021-04-28 21:50:00 +0200") // "2021-04-28T19:50:00.000Z"
 */
export function parseTimestamp(value: string | number): string | undefined {
  if (typeof value === "number") return fromEpoch(value);
  const text = value.trim();
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));
  const gitlab = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})?$/.exec(
    text,
  );
  // Date rolls impossible fields over (February 30th becomes March 2nd); such a value is refused instead.
  if (!calendarFieldsValid(text)) return undefined;
  if (gitlab) {
    const [, date, time, zone] = gitlab;
    const offset = zone === undefined || zone === "UTC" || zone === "Z" ? "Z" : normaliseOffset(zone);
    return toIso(Date.parse(`${date}T${time}${offset}`));
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  return toIso(Date.parse(text));
}

/**
 * Whether the leading `YYYY-MM-DD` and, when present, `hh:mm[:ss]` of an ISO-like text name a real
 * moment: month 1-12, a day that month has, hour 0-23, minute and second 0-59. Texts without a leading
 * date are left to the other checks.
 */
function calendarFieldsValid(text: string): boolean {
  const fields = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!fields) return true;
  const field = (index: number) => Number(fields[index] ?? 0);
  const month = field(2);
  const day = field(3);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(field(1), month)) return false;
  return field(4) <= 23 && field(5) <= 59 && field(6) <= 59;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function normaliseOffset(zone: string): string {
  return zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  // Below 1e11 a number is seconds (that is before 1973 in milliseconds).
  return toIso(value < 1e11 ? value * 1000 : value);
}

function toIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  // Past ±8.64e15 ms a Date is invalid, and its year is NaN, which no range check catches.
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1970 || year > 9999) return undefined;
  return date.toISOString();
}

/** Milliseconds between two ISO timestamps, or null when either is missing or the order is wrong. */
export function durationMs(
  startedAt: string | null | undefined,
  finishedAt: string | null | undefined,
): number | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/**
 * Parses a duration such as `2h`, `90m`, `45s`, `1h30m`, `1d` or plain milliseconds.
 *
 * @example parseDuration("1h30m") // 5_400_000
 */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? "ms"] ?? 1), 0));
}
