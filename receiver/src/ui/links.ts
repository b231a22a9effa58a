const GITHUB_ISSUE = /^([\w.-]+\/[\w.-]+)#(\d+)$/;
const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;

/**
 * Only http(s) URLs become links: a stored `url` is user input and must never turn into a
 * `javascript:` link.
 *
 * @example safeUrl("javascript:alert(1)") // undefined
 */
export function safeUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a reference points: URLs to themselves, `owner/repo#123` (and `#123` within a known repository)
 * to GitHub, which redirects issue numbers to pull requests when needed. Ticket keys such as `PAY-12`
 * have no known tracker, so they get no link.
 *
 * @example referenceUrl("acme/web#12") // "https://github.com/acme/web/issues/12"
 */
export function referenceUrl(reference: string, repository?: string | null): string | undefined {
  const url = safeUrl(reference);
  if (url) return url;
  const issue = GITHUB_ISSUE.exec(reference);
  if (issue) return `https://github.com/${issue[1]}/issues/${issue[2]}`;
  const local = /^#(\d+)$/.exec(reference);
  if (local && repository && REPOSITORY.test(repository)) {
    return `https://github.com/${repository}/issues/${local[1]}`;
  }
  return undefined;
}

/** A commit's page when the repository is an `owner/name` on GitHub. */
export function commitUrl(repository: string | null | undefined, sha: string): string | undefined {
  if (!repository || !REPOSITORY.test(repository) || !/^[0-9a-f]{7,40}$/i.test(sha)) return undefined;
  return `https://github.com/${repository}/commit/${sha}`;
}

/** A repository's page when it is an `owner/name` (GitHub by convention: the CI context says which). */
export function repositoryUrl(repository: string | null | undefined): string | undefined {
  if (!repository || !REPOSITORY.test(repository)) return undefined;
  return `https://github.com/${repository}`;
}

/** A query string from the given values, leaving out empty ones (so shared URLs stay short). */
export function queryString(values: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The dashboard path of a release. */
export function releasePath(id: string): string {
  return `/releases/${encodeURIComponent(id)}`;
}
