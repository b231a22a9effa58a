import { normaliseStatus, type Status, splitPackageSpec } from "@sponge/core";
import { z } from "zod";
import { InputError } from "./input-error.js";

/** `track`: main starts, post finishes; `start`/`finish`/`record`: one request each, no post work. */
export type Mode = "track" | "start" | "finish" | "record";

export const MODES: readonly Mode[] = ["track", "start", "finish", "record"];

/** One entry of the `packages` input (or the `package`/`version` pair). */
export interface PackageSpec {
  name: string;
  version?: string | undefined;
}

/** The action's inputs, validated. Names follow action.yml. */
export interface ActionInputs {
  url: string;
  environment: string | undefined;
  token: string | undefined;
  /** The `package` input; the repository name is used when absent. */
  package: string | undefined;
  /** The `packages` lines; empty when the input is not set. */
  packages: PackageSpec[];
  version: string | undefined;
  hosts: string[];
  notes: string | undefined;
  references: string[];
  team: string | undefined;
  person: string | undefined;
  platforms: string[];
  mode: Mode;
  status: Status | undefined;
  releaseId: string | undefined;
  /** `job-status` mapped to a release status; undefined when the runner left it empty. */
  jobStatus: Status | undefined;
  githubToken: string | undefined;
  oidcAudience: string;
  failOnError: boolean;
  timeoutMs: number;
  retries: number;
}

/** Reads one input the way the runner passes it (`INPUT_<NAME>`), trimmed; "" when unset. */
export type ReadInput = (name: string) => string;

/** Every input the action reads; action.yml declares exactly these. */
export const INPUT_NAMES = [
  "url",
  "environment",
  "token",
  "package",
  "packages",
  "version",
  "hosts",
  "notes",
  "references",
  "team",
  "person",
  "platforms",
  "mode",
  "status",
  "release-id",
  "job-status",
  "github-token",
  "oidc-audience",
  "fail-on-error",
  "timeout-seconds",
  "retries",
] as const;

const optional = z.string().transform((value) => (value.trim() === "" ? undefined : value.trim()));

/** Lines or comma-separated items, blanks dropped, duplicates removed. */
const list = z.string().transform((value) => [
  ...new Set(
    value
      .split(/[\n,]/)
      .map((item) => item.trim())
      .filter(Boolean),
  ),
]);

const lines = z.string().transform((value) =>
  value
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean),
);

const SPEC = /^(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)*(@[^\s@]+)?$/;

const packageLines = lines.transform((entries, ctx): PackageSpec[] =>
  entries.flatMap((line, index) => {
    if (!SPEC.test(line)) {
      ctx.addIssue({
        code: "custom",
        message: `line ${index + 1}: expected name@version (e.g. api@1.4.2 or @acme/web@2.0.0), got ${JSON.stringify(line)}`,
      });
      return [];
    }
    const spec = splitPackageSpec(line);
    return [spec.version ? { name: spec.name, version: spec.version } : { name: spec.name }];
  }),
);

const mode = z.string().transform((value, ctx): Mode => {
  const word = value.trim().toLowerCase() || "track";
  const found = MODES.find((candidate) => candidate === word);
  if (found) return found;
  ctx.addIssue({
    code: "custom",
    message: `expected one of ${MODES.join(", ")}, got ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

const status = optional.transform((value, ctx): Status | undefined => {
  if (value === undefined) return undefined;
  const parsed = normaliseStatus(value);
  if (parsed) return parsed;
  ctx.addIssue({
    code: "custom",
    message: `expected queued, running, succeeded, failed or cancelled, got ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

const JOB_STATUSES = new Map<string, Status>([
  ["success", "succeeded"],
  ["failure", "failed"],
  ["cancelled", "cancelled"],
]);

/** `${{ job.status }}`: success, failure or cancelled (https://docs.github.com/actions/reference/contexts-reference#job-context). */
const jobStatus = optional.transform((value, ctx): Status | undefined => {
  if (value === undefined) return undefined;
  const mapped = JOB_STATUSES.get(value.toLowerCase());
  if (mapped) return mapped;
  ctx.addIssue({
    code: "custom",
    message: `expected success, failure or cancelled, got ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

/** YAML 1.2 core booleans, as `core.getBooleanInput` accepts them. */
const boolean = (fallback: boolean) =>
  z.string().transform((value, ctx) => {
    const word = value.trim();
    if (word === "") return fallback;
    if (["true", "True", "TRUE"].includes(word)) return true;
    if (["false", "False", "FALSE"].includes(word)) return false;
    ctx.addIssue({ code: "custom", message: `expected true or false, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });

const number = (fallback: number, min: number, max: number) =>
  z.string().transform((value, ctx) => {
    const text = value.trim();
    if (text === "") return fallback;
    const parsed = Number(text);
    if (/^\d+(\.\d+)?$/.test(text) && parsed >= min && parsed <= max) return parsed;
    ctx.addIssue({
      code: "custom",
      message: `expected a number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  });

const url = z.string().transform((value, ctx) => {
  const text = value.trim();
  if (text === "") {
    ctx.addIssue({
      code: "custom",
      message: "is required: the receiver's base URL, e.g. https://sponge.example.com",
    });
    return z.NEVER;
  }
  const parsed = URL.canParse(text) ? new URL(text) : undefined;
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    ctx.addIssue({ code: "custom", message: `expected an http(s) URL, got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  if (parsed.username || parsed.password) {
    ctx.addIssue({ code: "custom", message: "must not contain credentials; use the token input" });
    return z.NEVER;
  }
  return text.replace(/\/+$/, "");
});

const schema = z.object({
  url,
  environment: optional,
  token: optional,
  package: optional.refine((value) => value === undefined || !/\s/.test(value), {
    message: "expected a package name without spaces",
  }),
  packages: packageLines,
  version: optional,
  hosts: lines,
  notes: optional,
  references: list,
  team: optional,
  person: optional,
  platforms: list,
  mode,
  status,
  "release-id": optional,
  "job-status": jobStatus,
  "github-token": optional,
  "oidc-audience": optional.transform((value) => value ?? "sponge"),
  "fail-on-error": boolean(false),
  "timeout-seconds": number(10, 1, 600),
  retries: number(3, 0, 10).refine(Number.isInteger, { message: "expected a whole number" }),
});

/**
 * Validates the action's inputs. A bad value throws {@link InputError} naming the input and
 * what was expected: these fail the step even with `fail-on-error: false`.
 *
 * @example parseInputs((name) => ({ url: "https://sponge.example.com", environment: "production" })[name] ?? "").mode // "track"
 */
export function parseInputs(read: ReadInput): ActionInputs {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, read(name)]));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `input "${issue.path.join(".")}" ${issue.message}`);
    throw new InputError(problems.join("; "));
  }
  const value = result.data;
  if (value.mode === "record" && (value.status === "queued" || value.status === "running")) {
    throw new InputError(
      `input "status" is ${value.status}, but mode "record" records a deployment that already ended: use succeeded, failed or cancelled, or mode "start"`,
    );
  }
  if (value.packages.length > 0 && (value.package !== undefined || value.version !== undefined)) {
    throw new InputError(
      'inputs "package"/"version" and "packages" cannot be combined: list every package as name@version in "packages"',
    );
  }
  return {
    url: value.url,
    environment: value.environment,
    token: value.token,
    package: value.package,
    packages: value.packages,
    version: value.version,
    hosts: value.hosts,
    notes: value.notes,
    references: value.references,
    team: value.team,
    person: value.person,
    platforms: value.platforms,
    mode: value.mode,
    status: value.status,
    releaseId: value["release-id"],
    jobStatus: value["job-status"],
    githubToken: value["github-token"],
    oidcAudience: value["oidc-audience"],
    failOnError: value["fail-on-error"],
    timeoutMs: Math.round(value["timeout-seconds"] * 1000),
    retries: value.retries,
  };
}
