import { InputError } from "./input-error.js";
import type { ActionInputs, PackageSpec } from "./inputs.js";
import type { RunContext } from "./run-context.js";

/** What a run deploys, where, and the key that makes every retry land on one release. */
export interface ReleasePlan {
  environment: string;
  packages: PackageSpec[];
  /** The `<package>` part of the key: `package`, the `packages` names joined by commas, or the repository name. */
  packageLabel: string;
  key: string;
}

/**
 * Decides environment, packages and idempotency key from the inputs and the run. The key is
 * `github-action:<repo>:<run_id>:<run_attempt>:<job>:<package>:<environment>`, so a re-run
 * attempt is a new release while a retried request, or `mode: finish` in the same job, finds
 * the same one.
 *
 * @example planRelease(inputs, run).key // "github-action:acme/api:42:1:deploy:api:production"
 */
export function planRelease(inputs: ActionInputs, run: RunContext): ReleasePlan {
  const environment = inputs.environment ?? run.event.deploymentEnvironment;
  if (environment === undefined) {
    throw new InputError(
      'input "environment" is required (only deployment events carry one; a step cannot read its job\'s environment:)',
    );
  }
  const packages =
    inputs.packages.length > 0
      ? inputs.packages
      : [{ name: inputs.package ?? run.repo, ...(inputs.version ? { version: inputs.version } : {}) }];
  const packageLabel = inputs.package ?? packages.map((spec) => spec.name).join(",");
  const key = [
    "github-action",
    run.repository,
    run.runId ?? "",
    String(run.runAttempt),
    run.job ?? "",
    packageLabel,
    environment,
  ].join(":");
  return { environment, packages, packageLabel, key };
}
