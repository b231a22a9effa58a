import type { SpongeConfig, Status } from "@sponge/core";
import { expectObject } from "../errors.js";
import {
  cleanText,
  compact,
  describeFailure,
  isoTime,
  MAX_ENVIRONMENT,
  MAX_LIST,
  makeKey,
  nonEmpty,
} from "../fields.js";
import { repositoryFromGitUrl } from "../git-repository.js";
import { safeParameters, stripUserinfo } from "../redact.js";
import { ignored, releaseResult } from "../result.js";
import type { AdapterResult, PackageWrite } from "../types.js";
import { jenkinsHost, jobPath } from "./job-path.js";
import { type JenkinsNotification, jenkinsNotificationSchema } from "./schema.js";

/**
 * `Run.getResult()`. UNSTABLE counts as succeeded: Jenkins marks a build unstable when
 * every step ran but tests or quality gates reported problems, so what it deployed is
 * running. The raw result stays in `ci.result`.
 */
const RESULTS: Record<string, Status> = {
  SUCCESS: "succeeded",
  UNSTABLE: "succeeded",
  FAILURE: "failed",
  ABORTED: "cancelled",
  NOT_BUILT: "cancelled",
};

/**
 * Maps a Jenkins Notification plugin delivery; key `jenkins:<host>/<job path>:<build>`
 * (`jenkins:<job path>:<build>` when Jenkins has no root URL).
 * - QUEUED: `queued`. STARTED: `running` with `started_at`.
 * - COMPLETED: the result with `started_at` and `finished_at` (its timestamp is start + duration).
 * - FINALIZED: the result only. Its timestamp is when Jenkins finished housekeeping, not
 *   when the build ended, so it would disagree with COMPLETED; without times the two
 *   converge whatever order they arrive in.
 * Environment, version and package come from the build parameters named in
 * `jenkins.parameters`.
 *
 * @throws {WebhookPayloadError} when the body is not a JSON object
 * @example mapJenkins(body, config) // { kind: "release", key: "jenkins:ci.acme.io/deploy-api:18", ... }
 */
export function mapJenkins(payload: unknown, config: SpongeConfig): AdapterResult {
  expectObject(payload, "the Jenkins notification body");
  const parsed = jenkinsNotificationSchema.safeParse(payload);
  if (!parsed.success) {
    return ignored(`Jenkins notification is not usable: ${describeFailure(parsed.error.issues)}`);
  }
  const job = parsed.data;
  const build = job.build;
  const phase = build.phase.trim().toUpperCase();
  const result = cleanText(build.status)?.toUpperCase();
  const timing = phaseTiming(phase, build, result);
  if (typeof timing === "string") return ignored(timing);

  const parameters = parameterEntries(build.parameters);
  const names = config.jenkins.parameters;
  const environment = findParameter(parameters, names.environment);
  if (environment !== undefined && environment.length > MAX_ENVIRONMENT) {
    return ignored(`Jenkins environment parameter is longer than ${MAX_ENVIRONMENT} characters`);
  }
  const packageName = findParameter(parameters, names.package);
  const version = findParameter(parameters, names.version);
  const packages: PackageWrite[] | undefined =
    packageName === undefined ? undefined : [compact({ name: packageName, version, status: timing.status })];

  const path = jobPath(cleanText(job.url), job.name.trim());
  const fullUrl = cleanText(build.full_url);
  const host = jenkinsHost(fullUrl);
  const key =
    host === undefined
      ? makeKey("jenkins", path, build.number)
      : makeKey("jenkins", `${host}/${path}`, build.number);
  const scm = build.scm;
  const branch = cleanText(scm?.branch);
  const culprits = textList(scm?.culprits);
  const remote = cleanText(scm?.url);
  const runUrl = fullUrl === undefined ? undefined : stripUserinfo(fullUrl);
  const notes = cleanText(build.notes);

  const release = compact({
    key,
    source: "jenkins" as const,
    status: timing.status,
    environment,
    repository: remote === undefined ? undefined : repositoryFromGitUrl(remote),
    commit: cleanText(scm?.commit),
    ref: branch,
    url: runUrl,
    started_at: timing.startedAt,
    finished_at: timing.finishedAt,
    version: packageName === undefined ? version : undefined,
    packages,
    notes: notes === undefined ? undefined : [notes],
    ci: compact({
      provider: "jenkins",
      // Culprits are the committers since the last good build; one of them is who caused this run.
      actor: culprits?.length === 1 ? culprits[0] : undefined,
      culprits,
      ref: branch,
      branch: branch === undefined ? undefined : localBranch(branch),
      run_id: build.number,
      job: path,
      run_url: runUrl,
      environment,
      parameters: safeParameters(parameters),
      changed_files: textList(scm?.changes),
      repository_url: remote === undefined ? undefined : stripUserinfo(remote),
      phase,
      result,
    }),
  });
  return releaseResult(release);
}

interface Timing {
  status: Status;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
}

function phaseTiming(
  phase: string,
  build: JenkinsNotification["build"],
  result: string | undefined,
): Timing | string {
  const timestamp = build.timestamp;
  switch (phase) {
    case "QUEUED":
      return { status: "queued" };
    case "STARTED":
      return { status: "running", startedAt: timestamp === undefined ? undefined : isoTime(timestamp) };
    case "COMPLETED":
    case "FINALIZED": {
      const status = result === undefined ? undefined : RESULTS[result];
      if (status === undefined) {
        return result === undefined
          ? `Jenkins ${phase} notification without a build status`
          : `Jenkins build status "${cleanText(result, 100)}" is not known`;
      }
      if (phase === "FINALIZED" || timestamp === undefined) return { status };
      const duration = build.duration ?? 0;
      return {
        status,
        startedAt: duration > 0 && timestamp >= duration ? isoTime(timestamp - duration) : undefined,
        finishedAt: isoTime(timestamp),
      };
    }
    default:
      return `Jenkins phase "${cleanText(phase, 100)}" is not a build phase Sponge records`;
  }
}

type ParameterEntry = readonly [string, string | number | boolean];

function parameterEntries(parameters: Record<string, unknown> | undefined): ParameterEntry[] {
  const entries: ParameterEntry[] = [];
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (typeof value === "string" || typeof value === "boolean") entries.push([name, value]);
    else if (typeof value === "number" && Number.isFinite(value)) entries.push([name, value]);
  }
  return entries;
}

/** The first configured name that has a value; exact case first, then any case. */
function findParameter(parameters: readonly ParameterEntry[], names: readonly string[]): string | undefined {
  for (const name of names) {
    const exact = parameters.find(([key]) => key === name);
    const value = cleanText(exact === undefined ? undefined : String(exact[1]));
    if (value !== undefined) return value;
  }
  for (const name of names) {
    const loose = parameters.find(([key]) => key.toLowerCase() === name.toLowerCase());
    const value = cleanText(loose === undefined ? undefined : String(loose[1]));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `origin/main` and `refs/heads/main` as the branch name `main` (Jenkins reports GIT_BRANCH as-is). */
function localBranch(branch: string): string {
  return branch.replace(/^refs\/heads\//, "").replace(/^(refs\/remotes\/)?origin\//, "");
}

function textList(values: readonly unknown[] | undefined): string[] | undefined {
  const texts = (values ?? [])
    .map((value) => (typeof value === "string" ? cleanText(value) : undefined))
    .filter((value) => value !== undefined)
    .slice(0, MAX_LIST);
  return nonEmpty(texts);
}
