import { randomUUID } from "node:crypto";
import type { Release } from "@sponge/core";
import { entryChunks, logChunks } from "./log-chunks.js";
import {
  toCreatedToken,
  toCurrentVersion,
  toRelease,
  toReleasePage,
  toRemovedVersion,
  toTokenList,
} from "./parse-response.js";
import { SpongeError } from "./sponge-error.js";
import { createTransport } from "./transport.js";
import type {
  CallOptions,
  CreatedToken,
  CurrentVersion,
  FinishBody,
  HostBody,
  LogEntry,
  LogUpload,
  PackageBody,
  ReleaseBody,
  ReleaseFilters,
  ReleasePage,
  ReleaseUpdate,
  RemovedVersion,
  TokenInfo,
  TokenScope,
} from "./types.js";
import { VERSION } from "./version.js";

export interface ClientOptions {
  /** The receiver's base URL, e.g. `https://sponge.example.com` (a path prefix is kept). */
  url: string;
  /** API token sent as `Authorization: Bearer`; never printed or put in error messages. */
  token?: string | undefined;
  /** Per-attempt timeout, including reading the answer. Default 10 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt for network errors, timeouts, 429 and 5xx. Default 3. */
  retries?: number | undefined;
  /** Base of the exponential backoff between retries. Default 500 ms. */
  retryDelayMs?: number | undefined;
  /** Longest wait between retries; a longer `Retry-After` ends the retries. Default 30 000 ms. */
  maxRetryDelayMs?: number | undefined;
  /** A fetch implementation; defaults to Node's global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  userAgent?: string | undefined;
  /** Largest log upload per request; larger uploads are split at line ends. Default 4 MiB. */
  maxLogBytes?: number | undefined;
}

/** Typed access to a Sponge receiver's HTTP API. Every method throws {@link SpongeError}. */
export interface SpongeClient {
  /** `POST /api/releases`. The same `key` again returns the same (merged) release. */
  createRelease(body: ReleaseBody, options?: CallOptions): Promise<Release>;
  /** `PATCH /api/releases/:id`: scalars overwrite, lists are merged. */
  updateRelease(id: string, body: ReleaseUpdate, options?: CallOptions): Promise<Release>;
  /** `POST /api/releases/:id/finish`; the status defaults to `succeeded`. */
  finishRelease(id: string, body?: FinishBody, options?: CallOptions): Promise<Release>;
  /** `POST /api/releases/:id/packages`: objects or `name@version` strings. */
  addPackages(
    id: string,
    packages: PackageBody | string | ReadonlyArray<PackageBody | string>,
    options?: CallOptions,
  ): Promise<Release>;
  /** `POST /api/releases/:id/hosts`: per-host results (objects or host names). */
  addHosts(
    id: string,
    hosts: HostBody | string | ReadonlyArray<HostBody | string>,
    options?: CallOptions,
  ): Promise<Release>;
  /**
   * `POST /api/releases/:id/logs`: text (or lines of it) as `text/plain`, structured
   * entries as JSON; uploads over `maxLogBytes` are split into several requests.
   */
  appendLogs(
    id: string,
    logs: string | ReadonlyArray<string> | ReadonlyArray<LogEntry>,
    options?: CallOptions,
  ): Promise<LogUpload>;
  /** `GET /api/releases/:id`. */
  getRelease(id: string, options?: CallOptions): Promise<Release>;
  /** `GET /api/releases` with filters, newest first; follow `next_cursor` for more. */
  listReleases(filters?: ReleaseFilters, options?: CallOptions): Promise<ReleasePage>;
  /** `GET /api/packages/:name/current`; a package never deployed there is a 404 SpongeError. */
  current(packageName: string, environment?: string, options?: CallOptions): Promise<CurrentVersion>;
  /**
   * `DELETE /api/packages/:name/current`: records that the package was taken out of the environment; a
   * package with no current version there is a 404 SpongeError.
   */
  removeCurrent(packageName: string, environment?: string, options?: CallOptions): Promise<RemovedVersion>;
  /** `POST /api/tokens` (admin scope): the new token's secret is returned this once. */
  createToken(
    body: { scope: TokenScope; name?: string | undefined },
    options?: CallOptions,
  ): Promise<CreatedToken>;
  /** `GET /api/tokens` (admin scope). */
  listTokens(options?: CallOptions): Promise<TokenInfo[]>;
}

/**
 * Creates a client for a Sponge receiver. Nothing is sent until a method is called.
 *
 * @example
 * const sponge = createClient({ url: "http://127.0.0.1:8080", token: process.env.SPONGE_TOKEN });
 * const release = await sponge.createRelease({ environment: "production", packages: ["api@1.4.2"] });
 * await sponge.finishRelease(release.id, { status: "succeeded" });
 */
export function createClient(options: ClientOptions): SpongeClient {
  const request = createTransport({
    baseUrl: parseBaseUrl(options.url),
    token: options.token === "" ? undefined : options.token,
    timeoutMs: positive("timeoutMs", options.timeoutMs ?? 10_000),
    retries: count("retries", options.retries ?? 3),
    retryDelayMs: count("retryDelayMs", options.retryDelayMs ?? 500),
    maxRetryDelayMs: count("maxRetryDelayMs", options.maxRetryDelayMs ?? 30_000),
    fetch: options.fetch ?? globalThis.fetch,
    userAgent: options.userAgent ?? `sponge-client/${VERSION}`,
  });
  const maxLogBytes = positive("maxLogBytes", options.maxLogBytes ?? 4 * 1024 * 1024);
  const release = (id: string, suffix = "") => `/api/releases/${encodeURIComponent(id)}${suffix}`;
  const keyFor = (callOptions?: CallOptions) => callOptions?.key ?? randomUUID();

  return {
    async createRelease(body, callOptions) {
      const key = body.key ?? keyFor(callOptions);
      const json = { ...body, key };
      const answer = await request({
        method: "POST",
        path: "/api/releases",
        json,
        key,
        signal: callOptions?.signal,
      });
      return toRelease(answer);
    },
    async updateRelease(id, body, callOptions) {
      const answer = await request({
        method: "PATCH",
        path: release(id),
        json: body,
        signal: callOptions?.signal,
      });
      return toRelease(answer);
    },
    async finishRelease(id, body = {}, callOptions) {
      const answer = await request({
        method: "POST",
        path: release(id, "/finish"),
        json: body,
        signal: callOptions?.signal,
      });
      return toRelease(answer);
    },
    async addPackages(id, packages, callOptions) {
      const answer = await request({
        method: "POST",
        path: release(id, "/packages"),
        json: packages,
        key: keyFor(callOptions),
        signal: callOptions?.signal,
      });
      return toRelease(answer);
    },
    async addHosts(id, hosts, callOptions) {
      const answer = await request({
        method: "POST",
        path: release(id, "/hosts"),
        json: hosts,
        key: keyFor(callOptions),
        signal: callOptions?.signal,
      });
      return toRelease(answer);
    },
    async appendLogs(id, logs, callOptions) {
      const key = keyFor(callOptions);
      const path = release(id, "/logs");
      const signal = callOptions?.signal;
      if (typeof logs === "string" || logs.every((line) => typeof line === "string")) {
        const text = typeof logs === "string" ? logs : logs.join("\n");
        const chunks = logChunks(text, maxLogBytes);
        for (const [index, chunk] of chunks.entries()) {
          await request({
            method: "POST",
            path,
            text: chunk,
            key: partKey(key, index, chunks.length),
            signal,
          });
        }
        const lines = chunks.reduce((sum, chunk) => sum + chunk.split("\n").length, 0);
        return { lines, requests: chunks.length };
      }
      const entries = logs.map((entry) => (typeof entry === "string" ? { message: entry } : entry));
      const chunks = entryChunks(entries, maxLogBytes);
      for (const [index, chunk] of chunks.entries()) {
        await request({ method: "POST", path, json: chunk, key: partKey(key, index, chunks.length), signal });
      }
      return { lines: entries.length, requests: chunks.length };
    },
    async getRelease(id, callOptions) {
      return toRelease(await request({ method: "GET", path: release(id), signal: callOptions?.signal }));
    },
    async listReleases(filters = {}, callOptions) {
      const answer = await request({
        method: "GET",
        path: "/api/releases",
        query: { ...filters },
        signal: callOptions?.signal,
      });
      return toReleasePage(answer);
    },
    async current(packageName, environment, callOptions) {
      const answer = await request({
        method: "GET",
        path: `/api/packages/${encodeURIComponent(packageName)}/current`,
        query: { environment },
        signal: callOptions?.signal,
      });
      return toCurrentVersion(answer);
    },
    async removeCurrent(packageName, environment, callOptions) {
      const answer = await request({
        method: "DELETE",
        path: `/api/packages/${encodeURIComponent(packageName)}/current`,
        query: { environment },
        signal: callOptions?.signal,
      });
      return toRemovedVersion(answer);
    },
    async createToken(body, callOptions) {
      const answer = await request({
        method: "POST",
        path: "/api/tokens",
        json: body,
        key: keyFor(callOptions),
        signal: callOptions?.signal,
      });
      return toCreatedToken(answer);
    },
    async listTokens(callOptions) {
      return toTokenList(await request({ method: "GET", path: "/api/tokens", signal: callOptions?.signal }));
    },
  };
}

/** Each part of a split upload gets its own stable key, derived from the call's key. */
function partKey(key: string, index: number, parts: number): string {
  return parts === 1 ? key : `${key}.${index + 1}`;
}

function parseBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SpongeError({ code: "invalid_url", message: "the receiver URL is not a valid URL" });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    const message = `the receiver URL must start with http:// or https://, got ${parsed.protocol}//`;
    throw new SpongeError({ code: "invalid_url", message });
  }
  if (parsed.username !== "" || parsed.password !== "") {
    const message = "the receiver URL must not contain credentials; pass the token separately";
    throw new SpongeError({ code: "invalid_url", message });
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

function positive(name: string, value: number): number {
  if (Number.isFinite(value) && value > 0) return value;
  throw new SpongeError({
    code: "invalid_option",
    message: `${name} must be a positive number, got ${value}`,
  });
}

function count(name: string, value: number): number {
  if (Number.isInteger(value) && value >= 0) return value;
  throw new SpongeError({
    code: "invalid_option",
    message: `${name} must be a whole number >= 0, got ${value}`,
  });
}
