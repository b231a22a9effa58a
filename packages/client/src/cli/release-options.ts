import type { ReleaseBody } from "../types.js";
import { parsePackageSpec } from "./arguments.js";
import type { CiFindings } from "./ci-context.js";
import { optional } from "./parse-command-args.js";
import { UsageError } from "./usage-error.js";

/** Flags shared by `release start` and `release record`. */
export const releaseOptions = {
  package: { type: "string", multiple: true },
  environment: { type: "string" },
  person: { type: "string" },
  team: { type: "string" },
  repository: { type: "string" },
  commit: { type: "string" },
  ref: { type: "string" },
  url: { type: "string" },
  notes: { type: "string", multiple: true },
  reference: { type: "string", multiple: true },
  key: { type: "string" },
  json: { type: "boolean" },
} as const;

export const RELEASE_OPTIONS_HELP = `  --package NAME@VERSION  A package this release deploys; repeat for several (required)
  --environment ENV       Where it deploys, e.g. production (required, unless the CI
                          job names it: GitLab's CI_ENVIRONMENT_NAME)
  --person NAME           Who deploys (default: inferred from the CI job)
  --team NAME             The owning team (default: inferred from config and CODEOWNERS)
  --repository OWNER/NAME The source repository
  --commit SHA            The commit deployed
  --ref REF               The git ref, e.g. refs/tags/v1.4.2
  --url URL               Link to the CI run
  --notes TEXT            A note; repeat for several
  --reference REF         A ticket, PR or URL; repeat for several
  --key KEY               Idempotency key: the same key again updates the same release
  --json                  Print the whole release as JSON instead of its id`;

export interface ReleaseFlags {
  package?: string[] | undefined;
  environment?: string | undefined;
  person?: string | undefined;
  team?: string | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  ref?: string | undefined;
  url?: string | undefined;
  notes?: string[] | undefined;
  reference?: string[] | undefined;
  key?: string | undefined;
}

/**
 * The release body for `start` and `record`: flags first, then what the CI job states,
 * with the CI context attached for the receiver to infer the rest.
 */
export function releaseBody(command: string, flags: ReleaseFlags, found: CiFindings): ReleaseBody {
  const specs = flags.package ?? [];
  if (specs.length === 0) throw new UsageError("missing --package NAME@VERSION", command);
  const environment = optional(flags.environment);
  if (environment === undefined && typeof found.ci?.environment !== "string") {
    throw new UsageError("missing --environment", command);
  }
  const list = (values: string[] | undefined) => {
    const kept = (values ?? []).map((value) => value.trim()).filter((value) => value !== "");
    return kept.length > 0 ? kept : undefined;
  };
  return {
    key: optional(flags.key),
    environment,
    packages: specs.map((spec) => parsePackageSpec(command, spec)),
    person: optional(flags.person),
    team: optional(flags.team),
    repository: optional(flags.repository) ?? found.fields.repository,
    commit: optional(flags.commit) ?? found.fields.commit,
    ref: optional(flags.ref) ?? found.fields.ref,
    url: optional(flags.url) ?? found.fields.url,
    notes: list(flags.notes),
    references: list(flags.reference),
    commits: found.fields.commits,
    source: "cli",
    ci: found.ci,
  };
}
