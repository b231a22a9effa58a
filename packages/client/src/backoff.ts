/**
 * Delay before retry number `attempt` (0 for the first retry): exponential growth from
 * `baseMs`, capped at `maxMs`, with "equal jitter" — half fixed, half random — so that
 * many clients failing together do not retry in lockstep.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 *
 * @example backoffDelay(2, 500, 30_000) // between 1000 and 2000
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds or an HTTP date.
 * Returns `undefined` when the header is absent or unreadable.
 * See https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 *
 * @example parseRetryAfter("3") // 3000
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; a bare "-1" must not parse as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
