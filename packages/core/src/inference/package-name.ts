import type { SpongeConfig } from "../config.js";
import type { CiInput } from "../schemas.js";
import { ciParameter } from "./ci-parameter.js";

export interface PackageNameEvidence {
  repository?: string | undefined;
  ci?: CiInput | undefined;
}

export interface PackageNameChoice {
  name: string | null;
  source: string | null;
}

/**
 * Infers a package name for a release that names none: a Jenkins package parameter
 * (`config.jenkins.parameters.package`), then the repository name without its owner, then
 * the Jenkins job (`ci.job`), then the last segment of the GitLab project path
 * (`ci.project_path`, else the `CI_PROJECT_PATH` parameter).
 *
 * @example inferPackageName({ repository: "acme/payments-api" }, defaultConfig) // { name: "payments-api", source: "repository" }
 */
export function inferPackageName(evidence: PackageNameEvidence, config: SpongeConfig): PackageNameChoice {
  const { ci } = evidence;
  const parameter = ciParameter(ci, config.jenkins.parameters.package);
  if (parameter) return { name: parameter.value, source: parameter.source };
  const repository = lastSegment(evidence.repository);
  if (repository) return { name: repository, source: "repository" };
  const provider = ci?.provider?.toLowerCase();
  const job = ci?.job?.trim();
  if (provider === "jenkins" && job) return { name: job, source: "ci.job" };
  if (provider === "gitlab") {
    const projectPath = typeof ci?.project_path === "string" ? ci.project_path : undefined;
    const fromField = lastSegment(projectPath);
    if (fromField) return { name: fromField, source: "ci.project_path" };
    const fromParameter = lastSegment(ci?.parameters?.CI_PROJECT_PATH);
    if (fromParameter) return { name: fromParameter, source: "ci.parameters.CI_PROJECT_PATH" };
  }
  return { name: null, source: null };
}

function lastSegment(path: string | undefined): string | undefined {
  const segments = (path ?? "")
    .trim()
    .replace(/\.git$/, "")
    .split("/")
    .filter((segment) => segment !== "");
  return segments.at(-1);
}
