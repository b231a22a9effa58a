import { z } from "zod";
import { isTerminal, normaliseStatus } from "./status.js";
import { parseTimestamp } from "./time.js";
import { SOURCES, type Status } from "./types.js";

/**
 * Request schemas. They are forgiving on purpose: a string where a list is expected
 * becomes a one-item list, numbers are accepted where text is expected, timestamps may be
 * ISO 8601, epoch seconds/milliseconds or GitLab's format, status words are normalised,
 * and unknown fields are kept (the receiver files them under `metadata`).
 * What cannot be understood is refused with the field's path.
 */

const MAX_TEXT = 65_536;

/** A field given with the wrong type, or left out where it is needed. */
const expectedText = (issue: { input?: unknown }) =>
  issue.input === undefined ? "required" : "expected a string";

/** Text: a string or a number; empty strings mean "not given". */
export const text = z
  .union([z.string().max(MAX_TEXT), z.number().finite()], { error: expectedText })
  .transform((value) => String(value).trim())
  .transform((value) => (value === "" ? undefined : value));

const nullableText = z
  .union([text, z.null()], { error: expectedText })
  .transform((value) => value ?? undefined);

/*
 * Union branches are ordered by what clients send most (arrays of objects), so that a body does not pay
 * for the issues of branches it was never going to match. The order does not change what is accepted.
 */

/** A list of text: one string or an array of them. */
export const textList = z
  .union([z.array(z.union([text, z.null()])).max(10_000), text, z.null()], {
    error: "expected a string or an array of strings",
  })
  .transform((value): string[] => {
    if (value === null || value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    return [...new Set(list.filter((item): item is string => typeof item === "string"))];
  });

export const timestamp = z
  .union([z.string().max(100), z.number(), z.null()], { error: "expected an ISO 8601 timestamp" })
  .transform((value, ctx): string | undefined => {
    if (value === null) return undefined;
    const parsed = parseTimestamp(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

export const status = z
  .string({ error: "expected a status" })
  .max(100, { error: "expected a status of at most 100 characters" })
  .transform((value, ctx): Status => {
    const parsed = normaliseStatus(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `expected one of queued, running, succeeded, failed, cancelled, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

const record = z.record(z.string(), z.unknown(), { error: "expected an object" });

export const commitInput = z.union([
  z.looseObject({
    sha: text.pipe(z.string({ error: "required" })),
    message: nullableText.optional(),
    author: nullableText.optional(),
    timestamp: timestamp.optional(),
  }),
  z
    .string()
    .max(200)
    .transform((sha) => ({ sha })),
]);

/**
 * `name@version` (the version after the last `@`). A leading `@` starts a scope (`@acme/api@1.2.0`) only
 * when a `/` follows it; otherwise it separates an empty name from the version, as in `@1.0`. The name
 * comes back empty when the spec has none.
 */
export function splitPackageSpec(spec: string): { name: string; version?: string } {
  const trimmed = spec.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 0 || (at === 0 && trimmed.includes("/"))) return { name: trimmed };
  const name = trimmed.slice(0, at).trim();
  const version = trimmed.slice(at + 1).trim();
  return version ? { name, version } : { name };
}

const packageObject = z.looseObject({
  name: text.pipe(z.string({ error: "required" })),
  version: nullableText.optional(),
  status: status.optional(),
  success: z.boolean().optional(),
  started_at: timestamp.optional(),
  finished_at: timestamp.optional(),
  diff_url: nullableText.optional(),
});

/** `name@version` as a string; a spec without a name (`""`, `@`, `@1.0`) is refused. */
const packageSpec = z
  .string()
  .max(1000)
  .transform((spec, ctx) => {
    const parsed = splitPackageSpec(spec);
    if (parsed.name === "") {
      ctx.addIssue({
        code: "custom",
        message: `the package name is empty; expected name or name@version, got ${JSON.stringify(spec)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

export const packageInput = z.union([packageObject, packageSpec]);
export type PackageInput = z.output<typeof packageInput>;

/**
 * One package or a list of them (objects or `name@version` strings). The single forms are branches of
 * their own, so that a refused one is explained by its own issue rather than by the union's types.
 */
export const packageList = z.union([
  z.array(packageInput).max(1000),
  packageObject.transform((p): PackageInput[] => [p]),
  packageSpec.transform((p): PackageInput[] => [p]),
]);

const hostObject = z.looseObject({
  name: text.pipe(z.string({ error: "required" })),
  package: nullableText.optional(),
  status: status.optional(),
  success: z.boolean().optional(),
  started_at: timestamp.optional(),
  finished_at: timestamp.optional(),
  message: nullableText.optional(),
});
export const hostInput = z.union([
  hostObject,
  z
    .string()
    .max(1000)
    .transform((name) => ({ name })),
]);
export type HostInput = z.output<typeof hostInput>;
export const hostList = z.union([z.array(hostInput).max(10_000), hostInput.transform((h) => [h])]);

export const ciContext = z.looseObject({
  provider: text.optional(),
  actor: nullableText.optional(),
  triggering_actor: nullableText.optional(),
  event: nullableText.optional(),
  ref: nullableText.optional(),
  branch: nullableText.optional(),
  pr_number: z.coerce.number().int().positive().optional().catch(undefined),
  pr_title: nullableText.optional(),
  run_id: nullableText.optional(),
  run_attempt: z.coerce.number().int().positive().optional().catch(undefined),
  job: nullableText.optional(),
  workflow: nullableText.optional(),
  run_url: nullableText.optional(),
  environment: nullableText.optional(),
  changed_files: textList.optional(),
  codeowners_teams: textList.optional(),
  parameters: z
    .record(z.string(), z.union([text, z.boolean().transform(String), z.null()]))
    .transform((params) => {
      const kept: Record<string, string> = {};
      for (const [name, value] of Object.entries(params)) if (typeof value === "string") kept[name] = value;
      return kept;
    })
    .optional(),
});
export type CiInput = z.output<typeof ciContext>;

/** Fields a client may send for a release. Derived fields (durations, rollback, id) are ignored. */
export const RELEASE_FIELDS = [
  "key",
  "status",
  "environment",
  "platforms",
  "notes",
  "references",
  "person",
  "team",
  "source",
  "repository",
  "commit",
  "ref",
  "url",
  "started_at",
  "finished_at",
  "metadata",
  "ci",
  "packages",
  "hosts",
  "commits",
  "package",
  "version",
  "success",
] as const;

/** Fields that are derived by the receiver; a value sent for them is dropped. */
export const DERIVED_FIELDS = [
  "id",
  "duration_ms",
  "lead_time_ms",
  "rollback",
  "inferred",
  "created_at",
  "updated_at",
  "previous_version",
] as const;

export const releaseInput = z
  .looseObject({
    key: text.pipe(z.string().max(500)).optional(),
    status: status.optional(),
    success: z.boolean().optional(),
    environment: text.pipe(z.string().max(200)).optional(),
    platforms: textList.optional(),
    notes: textList.optional(),
    references: textList.optional(),
    person: nullableText.optional(),
    team: nullableText.optional(),
    source: z
      .enum(SOURCES as [string, ...string[]], { error: `expected one of ${SOURCES.join(", ")}` })
      .optional(),
    repository: nullableText.optional(),
    commit: nullableText.optional(),
    ref: nullableText.optional(),
    url: nullableText.optional(),
    started_at: timestamp.optional(),
    finished_at: timestamp.optional(),
    metadata: record.optional(),
    ci: ciContext.optional(),
    packages: packageList.optional(),
    hosts: hostList.optional(),
    commits: z.array(commitInput).max(10_000).optional(),
    package: text.optional(),
    version: nullableText.optional(),
  })
  .transform((input) => {
    const known: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(input)) {
      if ((RELEASE_FIELDS as readonly string[]).includes(field)) known[field] = value;
      else if (!(DERIVED_FIELDS as readonly string[]).includes(field)) extra[field] = value;
    }
    return { ...(known as ReleaseFields), extra };
  });

type ReleaseShape = {
  key?: string | undefined;
  status?: Status | undefined;
  success?: boolean | undefined;
  environment?: string | undefined;
  platforms?: string[] | undefined;
  notes?: string[] | undefined;
  references?: string[] | undefined;
  person?: string | undefined;
  team?: string | undefined;
  source?: string | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  ref?: string | undefined;
  url?: string | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  ci?: CiInput | undefined;
  packages?: PackageInput[] | undefined;
  hosts?: HostInput[] | undefined;
  commits?: z.output<typeof commitInput>[] | undefined;
  package?: string | undefined;
  version?: string | undefined;
};
type ReleaseFields = ReleaseShape;

/** A parsed release body: known fields, plus unknown fields in `extra`. */
export type ReleaseInput = ReleaseShape & { extra: Record<string, unknown> };

/** A status a release can finish with: succeeded, failed or cancelled (in any spelling `status` takes). */
export const finalStatus = z
  .string({ error: "expected a status" })
  .max(100, { error: "expected a status of at most 100 characters" })
  .superRefine((value, ctx) => {
    const parsed = value.length > 100 ? undefined : normaliseStatus(value);
    if (parsed !== undefined && !isTerminal(parsed)) {
      const meaning = parsed === value ? "" : ` (${parsed})`;
      ctx.addIssue({
        code: "custom",
        message: `a release finishes as succeeded, failed or cancelled, got ${JSON.stringify(value)}${meaning}; PATCH /api/releases/:id sets any status`,
      });
    }
  })
  .pipe(status);

export const finishInput = z
  .looseObject({
    status: finalStatus.optional(),
    success: z.boolean().optional(),
    finished_at: timestamp.optional(),
    notes: textList.optional(),
  })
  .nullable()
  .transform((value) => value ?? {});

export const logEntry = z.union([
  z.string().transform((message) => ({ message })),
  z.looseObject({
    ts: timestamp.optional(),
    level: text.optional(),
    host: nullableText.optional(),
    message: z.union([text, z.null()], { error: expectedText }).transform((m) => m ?? ""),
  }),
]);
/** Most log lines one request appends, as JSON entries or as text lines. */
export const MAX_LOG_LINES = 100_000;

export const logInput = z.union([z.array(logEntry).max(MAX_LOG_LINES), logEntry.transform((e) => [e])]);
export type LogInput = z.output<typeof logEntry>;

export const tokenCreateInput = z.object({
  scope: z.enum(["read", "write", "admin"], { error: "expected one of read, write, admin" }),
  name: text.pipe(z.string().max(200)).optional(),
});

/** The original Sponge's per-host result: `{release_id, host, package?, status | success, message?, log?}`. */
export const seedResultInput = z.looseObject({
  release_id: text.pipe(z.string({ error: "required" })),
  host: text.pipe(z.string({ error: "required" })),
  package: nullableText.optional(),
  status: status.optional(),
  success: z.boolean().optional(),
  message: nullableText.optional(),
  log: z.union([text, z.array(text).max(MAX_LOG_LINES), z.null()]).optional(),
  started_at: timestamp.optional(),
  finished_at: timestamp.optional(),
});

/** A schema issue as the API reports it: the dotted field path and what was wrong. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * The issues of a failed parse, each with its field's dotted path. A value that matched no branch of a
 * union (a package given as an object or a string, say) is explained by the branch that got furthest into
 * it, so `{"packages":[{"version":"1"}]}` reads `packages.0.name: required`, not `packages: Invalid input`.
 * When every branch failed at the union itself, the value had the wrong type and the union's own message
 * says so.
 */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => explainIssue(issue, []));
}

type Issue = z.core.$ZodIssue;

function explainIssue(issue: Issue, parent: readonly PropertyKey[]): FieldIssue[] {
  const path = [...parent, ...issue.path];
  const branch = issue.code === "invalid_union" ? closestBranch(issue.errors) : undefined;
  if (branch) return branch.flatMap((inner) => explainIssue(inner, path));
  const message =
    issue.code === "invalid_union" && issue.message === ZOD_UNION_MESSAGE
      ? expectedOneOf(issue)
      : issue.message;
  return [{ field: path.length > 0 ? path.map(String).join(".") : "(body)", message }];
}

/** What zod says of a union no branch matched, when the schema gives no message of its own. */
const ZOD_UNION_MESSAGE = "Invalid input";

/** "expected an array, an object or a string": the types a union's branches take. */
function expectedOneOf(issue: Issue): string {
  const types = new Set<string>();
  const collect = (inner: Issue) => {
    if (inner.code === "invalid_type") types.add(inner.expected);
    if (inner.code === "invalid_union") for (const branch of inner.errors) branch.forEach(collect);
  };
  collect(issue);
  const named = [...types].map((type) =>
    type === "null" ? type : `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`,
  );
  if (named.length === 0) return issue.message;
  return `expected ${named.length === 1 ? named[0] : `${named.slice(0, -1).join(", ")} or ${named.at(-1)}`}`;
}

/**
 * The union branch that explains a failure best: the one whose issues reach deepest below the union, or, at
 * the union itself, one whose type matched and a check failed (a string over the length limit). None when
 * every branch only had the wrong type.
 */
function closestBranch(branches: readonly Issue[][]): Issue[] | undefined {
  let best: Issue[] | undefined;
  let bestScore = 0;
  for (const branch of branches) {
    const score = 2 * Math.max(0, ...branch.map(reach)) + (typeMatched(branch) ? 1 : 0);
    if (score > bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Whether a branch's value had the right type and failed a check (a list over its limit), also through a
 * nested union one of whose branches did (a list of hosts that is itself one host or many).
 */
function typeMatched(branch: readonly Issue[]): boolean {
  return branch.every((issue) =>
    issue.code === "invalid_union" ? issue.errors.some(typeMatched) : issue.code !== "invalid_type",
  );
}

/** How far below its own position an issue points, through nested unions. */
function reach(issue: Issue): number {
  if (issue.code !== "invalid_union") return issue.path.length;
  return issue.path.length + Math.max(0, ...issue.errors.map((branch) => Math.max(0, ...branch.map(reach))));
}
