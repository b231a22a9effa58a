/**
 * Input an adapter cannot even look at: a body that is not a JSON object, or an HTTP
 * request that is not a CloudEvent. Carries the HTTP status and error code the receiver
 * answers with. Provider-shaped payloads that lack what Sponge needs are not errors:
 * adapters answer them with an `ignored` result.
 *
 * @example
 * try { result = mapJenkins(body, config); }
 * catch (error) { if (error instanceof WebhookPayloadError) return c.json({ error: { code: error.code, message: error.message } }, error.status); throw error; }
 */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
  readonly status: 400 | 415 | 422;
  readonly code: string;

  constructor(message: string, options: { status?: 400 | 415 | 422; code?: string } = {}) {
    super(message);
    this.status = options.status ?? 400;
    this.code = options.code ?? "invalid_payload";
  }
}

/** Throws a {@link WebhookPayloadError} unless `payload` is a plain JSON object. */
export function expectObject(payload: unknown, what: string): asserts payload is Record<string, unknown> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    const got = payload === null ? "null" : Array.isArray(payload) ? "an array" : typeof payload;
    throw new WebhookPayloadError(`expected ${what} to be a JSON object, got ${got}`, {
      status: 422,
      code: "invalid_payload",
    });
  }
}
