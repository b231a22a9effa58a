import { parseDuration } from "@sponge/core";
import { z } from "zod";
import { parseTokenList } from "./auth/authenticator.js";

const MIB = 1024 * 1024;

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

const positiveInt = (fallback: number) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) <= 0) {
      ctx.addIssue({
        code: "custom",
        message: `expected a positive whole number, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return Number(value);
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
  SPONGE_DATABASE_URL: optionalText.transform((value) => value ?? "file:./data/sponge.db"),
  SPONGE_DATABASE_AUTH_TOKEN: optionalText,
  SPONGE_DATABASE_SYNC_URL: optionalText,
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
  SPONGE_MAX_BODY_BYTES: positiveInt(MIB),
  SPONGE_TOKENS: optionalText.transform((value, ctx) => {
    try {
      return value === undefined ? [] : parseTokenList(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid" });
      return z.NEVER;
    }
  }),
  SPONGE_GITHUB_OIDC_ISSUER: optionalText.transform(
    (value) => value ?? "https://token.actions.githubusercontent.com",
  ),
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

/** Thrown when an environment variable has a bad value; the message names the variable. */
export class EnvError extends Error {
  override readonly name = "EnvError";
}

/** Parses the receiver's environment variables (DESIGN.md "Configuration"). */
export function parseEnv(env: NodeJS.ProcessEnv): ServerEnv {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
}

/** Whether a listen address is loopback only. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const BODY_LIMITS = { logs: 5 * MIB, webhooks: 25 * MIB } as const;
