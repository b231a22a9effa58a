/** Headers that carry credentials, by exact name. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-gitlab-token",
  "x-hub-signature",
  "x-hub-signature-256",
]);

/** Anything else whose name suggests a credential (custom proxies add their own). */
const SECRET_LOOKING = /token|secret|signature|password|api-key|apikey|credential|auth/i;

/**
 * The request headers kept in the delivery log: every header except credentials, so the log can be read
 * by an admin and exported without leaking a webhook secret.
 *
 * @example storedHeaders(c.req.raw.headers) // { "x-github-event": "deployment", … } without x-hub-signature-256
 */
export function storedHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower) || SECRET_LOOKING.test(lower)) return;
    kept[lower] = value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  });
  return kept;
}
