import type { FieldIssue } from "@sponge/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one error type routes throw. `app.onError` turns it into
 * `{"error":{"code","message","details"?}}` with its status.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: readonly FieldIssue[] | Readonly<Record<string, unknown>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** Longest value, in characters, that an error message repeats from the request. */
const QUOTED_MAX = 120;

/**
 * A value taken from the request, quoted for an error message and cut to QUOTED_MAX characters, so that an
 * answer never repeats a path of kilobytes.
 *
 * @example quoted("api") // '"api"'
 */
export function quoted(value: string): string {
  return value.length <= QUOTED_MAX
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, QUOTED_MAX))}… (${value.length} characters)`;
}

export const badRequest = (message: string) => new ApiError(400, "bad_request", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found`);
export const unprocessable = (details: readonly FieldIssue[]) =>
  new ApiError(
    422,
    "invalid_field",
    details.map((issue) => `${issue.field}: ${issue.message}`).join("; ") || "invalid request",
    details,
  );
export const unauthorized = (message = "a valid token is required") =>
  new ApiError(401, "unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="sponge"' });
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const unavailable = (message: string) =>
  new ApiError(503, "unavailable", message, undefined, { "Retry-After": "1" });
