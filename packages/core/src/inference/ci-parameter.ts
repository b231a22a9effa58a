import type { CiInput } from "../schemas.js";

export interface CiParameterValue {
  value: string;
  source: string;
}

/**
 * The first non-empty build parameter among `names` (in the configured order), for
 * Jenkins only: its build parameters are how a job is told what to deploy where.
 *
 * @example ciParameter({ provider: "jenkins", parameters: { DEPLOY_ENV: "staging" } }, ["ENVIRONMENT", "DEPLOY_ENV"])
 * // { value: "staging", source: "ci.parameters.DEPLOY_ENV" }
 */
export function ciParameter(ci: CiInput | undefined, names: readonly string[]): CiParameterValue | undefined {
  if (ci?.provider?.toLowerCase() !== "jenkins" || !ci.parameters) return undefined;
  for (const name of names) {
    const value = ci.parameters[name]?.trim();
    if (value) return { value, source: `ci.parameters.${name}` };
  }
  return undefined;
}
