import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay, parseRetryAfter } from "./backoff.js";
import { isRecord } from "./is-record.js";
import { SpongeError } from "./sponge-error.js";

/** Settings of {@link createTransport}; {@link createClient} fills in the defaults. */
export interface TransportOptions {
  /** Origin plus optional path prefix, without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  fetch: typeof globalThis.fetch;
  userAgent: string;
}

/** One logical call; the transport may send it several times. */
export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  json?: unknown;
  text?: string | undefined;
  /** Sent as `Idempotency-Key` on every attempt, so a retried write is recognised. */
  key?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Sends a request and returns the parsed JSON answer (`undefined` for an empty body). */
export type Transport = (spec: RequestSpec) => Promise<unknown>;

type Outcome = { ok: true; value: unknown } | { ok: false; error: SpongeError; retryAfterMs?: number };

/**
 * Builds the HTTP layer: one `fetch` per attempt, each bounded by `timeoutMs`; network
 * errors, timeouts, 429 and 5xx are retried up to `retries` times with exponential backoff
 * and jitter (or the server's `Retry-After`), other answers are final.
 */
export function createTransport(options: TransportOptions): Transport {
  const redact = (text: string): string =>
    options.token ? text.replaceAll(options.token, "[redacted]") : text;

  const headersFor = (spec: RequestSpec): Record<string, string> => {
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": options.userAgent,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (spec.json !== undefined) headers["content-type"] = "application/json";
    else if (spec.text !== undefined) headers["content-type"] = "text/plain; charset=utf-8";
    if (spec.key !== undefined) headers["idempotency-key"] = spec.key;
    return headers;
  };

  const urlFor = (spec: RequestSpec): string => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) query.set(name, String(value));
    }
    const search = query.size > 0 ? `?${query}` : "";
    return `${options.baseUrl}${spec.path}${search}`;
  };

  const attempt = async (spec: RequestSpec, url: string): Promise<Outcome> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout;
    const body = spec.json !== undefined ? JSON.stringify(spec.json) : (spec.text ?? null);
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, { method: spec.method, headers: headersFor(spec), body, signal });
      text = await response.text();
    } catch (cause) {
      const where = `${options.baseUrl}${spec.path}`;
      if (spec.signal?.aborted) {
        return { ok: false, error: new SpongeError({ code: "aborted", message: "the request was aborted" }) };
      }
      if (timeout.aborted) {
        const message = `no answer from the receiver at ${where} within ${options.timeoutMs} ms`;
        return { ok: false, error: new SpongeError({ code: "timeout", message }) };
      }
      const message = `cannot reach the receiver at ${where}: ${describeCause(cause)}`;
      return {
        ok: false,
        error: new SpongeError({ code: "network_error", message: redact(message), cause }),
      };
    }
    if (response.ok) return parseSuccess(response, text);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const error = errorFromAnswer(response, text, redact);
    return retryAfterMs === undefined ? { ok: false, error } : { ok: false, error, retryAfterMs };
  };

  return async (spec) => {
    const url = urlFor(spec);
    for (let retry = 0; ; retry++) {
      const outcome = await attempt(spec, url);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs } = outcome;
      const tooLong = retryAfterMs !== undefined && retryAfterMs > options.maxRetryDelayMs;
      if (!error.transient || retry >= options.retries || tooLong) throw withAttempts(error, retry + 1);
      const delay = retryAfterMs ?? backoffDelay(retry, options.retryDelayMs, options.maxRetryDelayMs);
      try {
        await sleep(delay, undefined, spec.signal ? { signal: spec.signal } : undefined);
      } catch {
        throw new SpongeError({ code: "aborted", message: "the request was aborted" });
      }
    }
  };
}

function parseSuccess(response: Response, text: string): Outcome {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const message = `the receiver answered ${response.status} with a body that is not JSON`;
    return {
      ok: false,
      error: new SpongeError({ status: response.status, code: "invalid_response", message }),
    };
  }
}

function errorFromAnswer(response: Response, text: string, redact: (text: string) => string): SpongeError {
  const envelope = parseJson(text);
  const error = isRecord(envelope) ? envelope.error : undefined;
  if (isRecord(error) && typeof error.code === "string" && typeof error.message === "string") {
    return new SpongeError({
      status: response.status,
      code: error.code,
      message: redact(error.message),
      details: redactDetails(error.details, redact),
    });
  }
  const reason = response.statusText ? ` ${response.statusText}` : "";
  return new SpongeError({
    status: response.status,
    code: `http_${response.status}`,
    message: `the receiver answered HTTP ${response.status}${reason}`,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function redactDetails(details: unknown, redact: (text: string) => string): unknown {
  if (details === undefined) return undefined;
  const json = JSON.stringify(details);
  const clean = redact(json);
  if (clean === json) return details;
  try {
    return JSON.parse(clean);
  } catch {
    return "[redacted]";
  }
}

function withAttempts(error: SpongeError, attempts: number): SpongeError {
  if (attempts === 1) return error;
  return new SpongeError({
    status: error.status,
    code: error.code,
    message: `${error.message} (after ${attempts} attempts)`,
    details: error.details,
    cause: error.cause,
  });
}

/** The most specific reason Node gives for a failed fetch: "connect ECONNREFUSED 127.0.0.1:8080". */
function describeCause(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause !== undefined ? cause.cause : cause;
  if (inner instanceof Error) {
    if (inner.message) return inner.message;
    if ("code" in inner && typeof inner.code === "string") return inner.code;
  }
  return cause instanceof Error ? cause.message : String(cause);
}
