export interface ReferenceOptions {
  /** `owner/repo` (GitLab: `group/sub/project`), used to qualify `#123`, `GH-123` and `!123`. */
  repository?: string | undefined;
  /** When not empty, only keys of these Jira projects are taken (`PAY-12` with `["PAY"]`). */
  jiraProjects?: readonly string[] | undefined;
  /** Keys (`UTF-8`) or whole project prefixes (`SHA`) that are never tickets. */
  ignore?: readonly string[] | undefined;
  /** Recognise GitLab merge requests `!123` (default true; GitHub has no such notation). */
  mergeRequests?: boolean | undefined;
  /**
   * Take keys of the configured `jiraProjects` in any case (`pay-12-fix` -> `PAY-12`), for
   * branch names, which are often lower-case. Without `jiraProjects` this has no effect.
   */
  anyCase?: boolean | undefined;
}

/**
 * Prefixes of `ABC-123`-shaped words that name standards, encodings, algorithms and the like,
 * never tickets: `UTF-8`, `SHA-256`, `ISO-8601`, `RFC-2616`, `CVE-2024-1234`, `X86-64`, `UTC-5`.
 * A configured `jiraProjects` list bypasses this (its keys are known to be tickets).
 */
const NOT_PROJECTS: ReadonlySet<string> = new Set([
  "AES",
  "AMD",
  "ANSI",
  "ARM",
  "BASE",
  "COVID",
  "CP",
  "CVE",
  "CWE",
  "DES",
  "ECMA",
  "ES",
  "FIPS",
  "FY",
  "GMT",
  "GPT",
  "HTTP",
  "IE",
  "IEC",
  "IEEE",
  "ISO",
  "JEP",
  "JSR",
  "KOI8",
  "LATIN",
  "MD",
  "MPEG",
  "PEP",
  "PKCS",
  "RFC",
  "RSA",
  "SHA",
  "SHA1",
  "SHA2",
  "SHA3",
  "SSL",
  "TLS",
  "UCS",
  "UTC",
  "UTF",
  "WIN",
  "WINDOWS",
  "X86",
]);

interface Prepared extends ReferenceOptions {
  ignored: ReadonlySet<string>;
  projects: ReadonlySet<string>;
}

interface Found {
  at: number;
  reference: string;
}

// A bare key: not glued to a word, a dot, a dash or an e-mail; not followed by a word
// character, and not by `-<digit>` or `.<digit>` (ISO-8859-1, CVE-2021-44228, ABC-1.2).
const KEY = /(?<![\p{L}\p{N}_.\-@$])([A-Za-z][A-Za-z0-9_]*)-([1-9]\d{0,8})(?![\p{L}\p{N}_]|[.-]\d)/gu;
const QUALIFIED_ISSUE = /(?<![\w./-])([A-Za-z0-9][\w.-]*(?:\/[\w.-]+)+)([#!])([1-9]\d{0,8})(?![\w-])/g;
const SHORT_ISSUE = /(?<![\w&/#.!-])([#!])([1-9]\d{0,8})(?![\w-])/g;
const URL = /\bhttps?:\/\/[^\s<>"'`]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;

const GITHUB_ISSUE = /^\/([\w.-]+\/[\w.-]+)\/(issues|pull)\/([1-9]\d*)(?:[/?#]|$)/;
const GITLAB_ISSUE = /^\/([\w.-]+(?:\/[\w.-]+)+)\/-\/(issues|merge_requests)\/([1-9]\d*)(?:[/?#]|$)/;
const JIRA_BROWSE = /^((?:\/[\w.-]+)*)\/browse\/([A-Z][A-Z0-9_]+-[1-9]\d*)(?:[/?#]|$)/;
const LINEAR_ISSUE = /^\/([\w.-]+)\/issue\/([A-Z][A-Z0-9_]+-[1-9]\d*)(?:[/?#]|$)/i;

/**
 * Finds ticket and change references in free text (a branch name, a PR title, a commit
 * message), in order of appearance, without duplicates:
 * - Jira-style keys `PAY-123` (project of 2+ upper-case letters/digits starting with a letter;
 *   only `jiraProjects` when given; never `UTF-8`, `SHA-256`, `ISO-8601`, `X-1`, `V1-2`...),
 * - `#123` and GitHub's `GH-123` as `owner/repo#123`, `owner/repo#123` as written,
 * - GitLab `!123` as `group/project!123`, `group/project!123` as written,
 * - GitHub issue/PR, GitLab issue/MR, Jira browse and Linear issue URLs, as URLs (Jira and
 *   Linear URLs also yield their key). Other URLs are skipped whole: a key in their path is
 *   not a reference.
 *
 * @example extractReferences("PAY-12: fix rounding (#34)", { repository: "acme/pay" }) // ["PAY-12", "acme/pay#34"]
 */
export function extractReferences(text: string, given: ReferenceOptions = {}): string[] {
  const options: Prepared = {
    ...given,
    ignored: new Set((given.ignore ?? []).map((entry) => entry.toUpperCase())),
    projects: new Set(given.jiraProjects ?? []),
  };
  const found: Found[] = [];
  const masked = maskUrls(text, options, found);
  findKeys(masked, options, found);
  findIssues(masked, options, found);
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((item) => item.reference))];
}

function maskUrls(text: string, options: Prepared, found: Found[]): string {
  return text.replace(URL, (raw, at: number) => {
    const url = raw.replace(TRAILING_PUNCTUATION, "").replace(/\)+$/, (parens) => unbalanced(raw, parens));
    found.push(...trackerReferences(url, options).map((reference, i) => ({ at: at + i, reference })));
    return " ".repeat(raw.length);
  });
}

/** Keeps closing parentheses that close one opened inside the URL (Wikipedia-style). */
function unbalanced(url: string, parens: string): string {
  const opened = (url.match(/\(/g) ?? []).length;
  const closed = (url.match(/\)/g) ?? []).length - parens.length;
  return parens.slice(0, Math.max(0, opened - closed));
}

function trackerReferences(url: string, options: Prepared): string[] {
  let parsed: globalThis.URL;
  try {
    parsed = new globalThis.URL(url);
  } catch {
    return [];
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname;
  const github = GITHUB_ISSUE.exec(path);
  if (github && (host === "github.com" || host.startsWith("github."))) {
    return [`${origin}/${github[1]}/${github[2]}/${github[3]}`];
  }
  const gitlab = GITLAB_ISSUE.exec(path);
  if (gitlab) return [`${origin}/${gitlab[1]}/-/${gitlab[2]}/${gitlab[3]}`];
  const linear = LINEAR_ISSUE.exec(path);
  if (linear && host === "linear.app") {
    const key = (linear[2] ?? "").toUpperCase();
    return [`${origin}/${linear[1]}/issue/${key}`, ...acceptedKey(key, options)];
  }
  const jira = JIRA_BROWSE.exec(path);
  if (jira) {
    const key = jira[2] ?? "";
    return [`${origin}${jira[1]}/browse/${key}`, ...acceptedKey(key, options)];
  }
  return [];
}

function findKeys(text: string, options: Prepared, found: Found[]): void {
  for (const match of text.matchAll(KEY)) {
    const [, written = "", number = ""] = match;
    const project =
      options.anyCase && options.projects.has(written.toUpperCase()) ? written.toUpperCase() : written;
    if (project === "GH") {
      if (options.repository) found.push({ at: match.index, reference: `${options.repository}#${number}` });
      continue;
    }
    found.push(
      ...acceptedKey(`${project}-${number}`, options).map((reference) => ({ at: match.index, reference })),
    );
  }
}

/** The key itself when it is a ticket under the options, else nothing. */
function acceptedKey(key: string, options: Prepared): string[] {
  const dash = key.lastIndexOf("-");
  const project = key.slice(0, dash);
  if (!/^[A-Z][A-Z0-9_]+$/.test(project)) return [];
  if (options.ignored.has(key) || options.ignored.has(project)) return [];
  if (options.projects.size > 0) return options.projects.has(project) ? [key] : [];
  // `V1-2` is a version, `Q3-2024` and `H1-2025` are quarters and halves.
  if (NOT_PROJECTS.has(project) || /^(?:V\d+|[QH][1-4])$/.test(project)) return [];
  return [key];
}

function findIssues(text: string, options: Prepared, found: Found[]): void {
  const mergeRequests = options.mergeRequests ?? true;
  for (const match of text.matchAll(QUALIFIED_ISSUE)) {
    const [reference, , sign] = match;
    if (sign === "!" && !mergeRequests) continue;
    found.push({ at: match.index, reference });
  }
  if (!options.repository) return;
  for (const match of text.matchAll(SHORT_ISSUE)) {
    const [, sign = "#", number] = match;
    if (sign === "!" && !mergeRequests) continue;
    found.push({ at: match.index, reference: `${options.repository}${sign}${number}` });
  }
}
