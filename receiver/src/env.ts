import type { EventEmitter } from "node:events";
import { parseDuration } from "@sponge/core";
import { z } from "zod";
import { parseTokenList } from "./auth/authenticator.js";
import { isRemoteUrl } from "./store/database.js";

const MIB = 1024 * 1024;
/** The largest SPONGE_MAX_BODY_BYTES: a request body is held in memory whole. */
const MAX_BODY_BYTES = 1024 * MIB;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const boolean = (fallback: boolean) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    ctx.addIssue({ code: "custom", message: `expected true or false, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });

const positiveInt = (fallback: number, max: number, maxText: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) <= 0 || Number(value) > max) {
      ctx.addIssue({
        code: "custom",
        message: `expected a positive whole number up to ${max} (${maxText}), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return Number(value);
  });

/** The remote database URLs `isRemoteUrl` takes: a libSQL server over its own protocol, HTTP or WebSockets. */
const REMOTE_LIST = "libsql://, https://, http://, wss://, ws://";

/**
 * A scheme, as in `libsql://…`: two characters or more, so that a Windows drive (`C:\data\sponge.db`)
 * stays a path.
 */
const SCHEME = /^([a-z][a-z\d+.-]+):/i;

/** An embedded file (`file:` URL, plain path or `:memory:`) or a remote URL with a known scheme. */
const databaseUrl = (fallback: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const scheme = value === ":memory:" ? undefined : SCHEME.exec(value)?.[1]?.toLowerCase();
    if (scheme === undefined || scheme === "file" || isRemoteUrl(value)) return value;
    // Only the scheme is shown: the rest may hold credentials.
    ctx.addIssue({
      code: "custom",
      message: `expected a file path, a file: URL, or a ${REMOTE_LIST} URL, got a ${scheme}: URL`,
    });
    return z.NEVER;
  });

/** The primary of an embedded replica: a remote URL. */
const remoteUrl = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  if (isRemoteUrl(value)) return value;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  ctx.addIssue({
    code: "custom",
    message: `expected a ${REMOTE_LIST} URL${scheme === undefined ? "" : `, got a ${scheme}: URL`}`,
  });
  return z.NEVER;
});

/** An http(s) URL such as an OIDC issuer. */
const httpUrl = (fallback: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
      ctx.addIssue({
        code: "custom",
        message: `expected a URL such as https://token.actions.githubusercontent.com, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return value;
  });

const envSchema = z.object({
  PORT: optionalText.transform((value, ctx) => {
    if (value === undefined) return 8080;
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65535) {
      ctx.addIssue({
        code: "custom",
        message: `expected a port number 0-65535, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return port;
  }),
  HOST: optionalText.transform((value) => value ?? "127.0.0.1"),
  SPONGE_DATABASE_URL: databaseUrl("file:./data/sponge.db"),
  SPONGE_DATABASE_AUTH_TOKEN: optionalText,
  SPONGE_DATABASE_SYNC_URL: remoteUrl,
  SPONGE_DATABASE_SYNCHRONOUS: optionalText.transform((value, ctx) => {
    const upper = (value ?? "FULL").toUpperCase();
    if (upper !== "FULL" && upper !== "NORMAL") {
      ctx.addIssue({ code: "custom", message: `expected FULL or NORMAL, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return upper;
  }),
  SPONGE_CONFIG: optionalText,
  SPONGE_PUBLIC_READ: boolean(true),
  SPONGE_RELEASE_TIMEOUT: optionalText.transform((value, ctx) => {
    const ms = parseDuration(value ?? "2h");
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({
        code: "custom",
        message: `expected a duration such as 2h, 90m or 45s, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  }),
  SPONGE_DELIVERY_RETENTION: optionalText.transform((value, ctx) => {
    const ms = parseDuration(value ?? "30d");
    if (ms === undefined || ms < 0) {
      ctx.addIssue({
        code: "custom",
        message: `expected a duration such as 30d or 12h (0 keeps every delivery), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  }),
  SPONGE_MAX_BODY_BYTES: positiveInt(MIB, MAX_BODY_BYTES, "1 GiB"),
  SPONGE_TOKENS: optionalText.transform((value, ctx) => {
    try {
      return value === undefined ? [] : parseTokenList(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid" });
      return z.NEVER;
    }
  }),
  SPONGE_GITHUB_OIDC_ISSUER: httpUrl("https://token.actions.githubusercontent.com"),
  SPONGE_GITHUB_OIDC_AUDIENCE: optionalText.transform((value) => value ?? "sponge"),
  SPONGE_GITHUB_OIDC_ALLOW: optionalText.transform((value, ctx) => {
    const entries = (value ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    const bad = entries.find((entry) => !/^[\w.-]+\/([\w.-]+|\*)$/.test(entry));
    if (bad) {
      ctx.addIssue({
        code: "custom",
        message: `expected owner/repo or owner/* entries, got ${JSON.stringify(bad)}`,
      });
      return z.NEVER;
    }
    return entries;
  }),
  SPONGE_GITHUB_WEBHOOK_SECRET: optionalText,
  SPONGE_GITLAB_WEBHOOK_TOKEN: optionalText,
  SPONGE_JENKINS_TOKEN: optionalText,
  SPONGE_CDEVENTS_TOKEN: optionalText,
});

export type ServerEnv = z.output<typeof envSchema>;

/**
 * Thrown when the environment keeps the receiver from starting (a bad value, a port in use, a database
 * that cannot be used); the message names the variable and is printed alone, without a stack.
 */
export class EnvError extends Error {
  override readonly name = "EnvError";
}

/** Parses the receiver's environment variables (DESIGN.md "Configuration"). */
export function parseEnv(env: NodeJS.ProcessEnv): ServerEnv {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(
    lines.length === 1
      ? `invalid environment: ${lines[0]}`
      : `invalid environment:\n${lines.map((line) => `  ${line}`).join("\n")}`,
  );
}

/** Whether a listen address is loopback only. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const BODY_LIMITS = { logs: 5 * MIB, webhooks: 25 * MIB } as const;

/** `host:port`, with an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: "address already in use (PORT/HOST)",
  EACCES: "permission denied (PORT: ports below 1024 need privileges)",
  EADDRNOTAVAIL: "this machine has no such address (HOST)",
  ENOTFOUND: "no such host (HOST)",
  EAI_AGAIN: "the host name could not be resolved (HOST)",
  EAI_FAIL: "the host name could not be resolved (HOST)",
};

/**
 * Resolves once `server` listens; rejects with an `EnvError` naming PORT or HOST when it cannot (the
 * error would otherwise be an unhandled 'error' event).
 *
 * @example await listening(serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }), env.HOST, env.PORT);
 */
export function listening(server: EventEmitter, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    const onError = (error: Error) => {
      server.off("listening", onListening);
      const code = "code" in error && typeof error.code === "string" ? error.code : "";
      const reason = LISTEN_ERRORS[code] ?? `${error.message} (PORT/HOST)`;
      reject(new EnvError(`cannot listen on ${hostPort(host, port)}: ${reason}`));
    };
    server.once("listening", onListening);
    server.once("error", onError);
  });
}
