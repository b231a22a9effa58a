import type { SpongeConfig } from "../config.js";
import type { CiInput } from "../schemas.js";
import { ciParameter } from "./ci-parameter.js";

export interface VersionEvidence {
  ref?: string | undefined;
  commit?: string | undefined;
  ci?: CiInput | undefined;
}

export interface VersionChoice {
  version: string | null;
  source: string | null;
}

/**
 * The tag named by a git ref, or undefined for branches and other refs.
 *
 * @example tagFromRef("refs/tags/v1.2.3") // "v1.2.3"
 */
export function tagFromRef(ref: string | undefined): string | undefined {
  const tag = /^refs\/tags\/(.+)$/.exec(ref?.trim() ?? "")?.[1]?.trim();
  return tag || undefined;
}

/**
 * The 7-character short form of a hexadecimal commit id, or undefined for anything else.
 *
 * @example shortSha("6113728f27ae82c7b1a177c8d03f9e96e0adf246") // "6113728"
 */
export function shortSha(commit: string | undefined): string | undefined {
  const sha = commit?.trim() ?? "";
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : undefined;
}

/**
 * Infers a version: a Jenkins version parameter (`config.jenkins.parameters.version`), then
 * the tag of `ref`, then of `ci.ref`, then the short commit id.
 *
 * @example inferVersion({ ref: "refs/tags/v2.0.0", commit: "6113728f27ae" }, defaultConfig) // { version: "v2.0.0", source: "ref" }
 */
export function inferVersion(evidence: VersionEvidence, config: SpongeConfig): VersionChoice {
  const parameter = ciParameter(evidence.ci, config.jenkins.parameters.version);
  if (parameter) return { version: parameter.value, source: parameter.source };
  const fromRef = tagFromRef(evidence.ref);
  if (fromRef) return { version: fromRef, source: "ref" };
  const fromCiRef = tagFromRef(evidence.ci?.ref);
  if (fromCiRef) return { version: fromCiRef, source: "ci.ref" };
  const sha = shortSha(evidence.commit);
  if (sha) return { version: sha, source: "commit" };
  return { version: null, source: null };
}
