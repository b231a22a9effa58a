import { createHash } from "node:crypto";
import { WebhookPayloadError } from "@sponge/adapters";
import { ApiError } from "../errors.js";
import { parseJson } from "../http/read-body.js";

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * Parses a webhook body as JSON. A JSON content type (`application/json`,
 * `application/cloudevents+json` …) or none is accepted; GitHub's form encoding is accepted when `form`
 * is set (the JSON is in the `payload` field). Malformed JSON is a 400, another content type a 415.
 *
 * @example parseWebhookJson("application/json", '{"zen":"…"}') // { zen: "…" }
 */
export function parseWebhookJson(
  contentType: string,
  body: string,
  options: { form?: boolean } = {},
): unknown {
  const type = contentType.trim();
  if (options.form && FORM_TYPE.test(type)) {
    const payload = new URLSearchParams(body).get("payload");
    if (payload === null) {
      throw new ApiError(
        400,
        "bad_request",
        "a form-encoded GitHub delivery must carry its JSON in the payload field",
      );
    }
    return parseJson(payload);
  }
  if (type !== "" && !JSON_TYPE.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `expected Content-Type: application/json${options.form ? " or application/x-www-form-urlencoded" : ""}, got ${type}`,
    );
  }
  return parseJson(body);
}

/** A delivery id for providers that send none: the body's digest, so an identical retry is recognised. */
export function bodyDigest(body: string): string {
  return `sha256:${createHash("sha256").update(body, "utf8").digest("hex")}`;
}

/** The HTTP error an adapter's refusal of a payload becomes. */
export function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof WebhookPayloadError) return new ApiError(error.status, error.code, error.message);
  return undefined;
}
