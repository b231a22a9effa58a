import type { Release } from "@sponge/core";

/** `owner/name`, or a GitLab `group/subgroup/project`. */
const REPOSITORY = /^[\w.-]+(?:\/[\w.-]+)+$/;
const SHA = /^[0-9a-f]{7,64}$/i;

/** Where `inferred` records that a package's `diff_url` was derived (and may be derived again). */
export function diffUrlField(name: string): string {
  return `packages.${name}.diff_url`;
}

/** What `inferred` says a derived `diff_url` came from. */
export const DIFF_URL_SOURCE = "previous_deployment.commit";

/**
 * The forge's page of the changes between the previous deployment's commit and this release's: GitHub's
 * `/compare/a...b`, GitLab's `/-/compare/a...b`. The forge comes from the CI that reported the release
 * (`ci.provider`, else `source`); its address from the run's URL when that lies under the repository
 * (GitHub Enterprise, self-managed GitLab), else github.com for the GitHub Action's releases. Undefined when
 * either commit is unknown or the same, or the forge or its address cannot be told (Jenkins, CDEvents, a
 * plain API call without a run URL).
 *
 * @example compareUrl({ repository: "acme/api", source: "github-action", ci: null, url: null }, "1a2b3c4", "5d6e7f8")
 * // "https://github.com/acme/api/compare/1a2b3c4...5d6e7f8"
 */
export function compareUrl(
  release: Pick<Release, "repository" | "source" | "ci" | "url">,
  from: string | null | undefined,
  to: string | null | undefined,
): string | undefined {
  const { repository } = release;
  if (!repository || !REPOSITORY.test(repository) || !from || !to || !SHA.test(from) || !SHA.test(to)) {
    return undefined;
  }
  if (from.toLowerCase() === to.toLowerCase()) return undefined;
  const provider = typeof release.ci?.provider === "string" ? release.ci.provider : release.source;
  const forge = provider === "github" || provider === "github-action" ? "github" : provider;
  if (forge !== "github" && forge !== "gitlab") return undefined;
  const runUrl = typeof release.ci?.run_url === "string" ? release.ci.run_url : release.url;
  // github.com only for the action's releases: a GitHub Enterprise webhook without a workflow run has
  // no address of its server, and github.com would show another repository of the same name, or none.
  const base =
    baseOf(runUrl, repository) ?? (release.source === "github-action" ? "https://github.com" : undefined);
  if (base === undefined) return undefined;
  const path = forge === "github" ? "compare" : "-/compare";
  return `${base}/${repository}/${path}/${from}...${to}`;
}

/** The forge's address, when `url` is a page under the repository's: `https://host[/prefix]`. */
function baseOf(url: string | null | undefined, repository: string): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  const at = parsed.pathname.toLowerCase().indexOf(`/${repository.toLowerCase()}/`);
  if (at < 0) return undefined;
  return `${parsed.origin}${parsed.pathname.slice(0, at)}`;
}
