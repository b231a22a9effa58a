/** One usable line of a CODEOWNERS file. */
export interface CodeownersRule {
  /** The pattern as written (escapes resolved). */
  pattern: string;
  /** `@user`, `@org/team` or e-mail owners; empty when the line removes ownership. */
  owners: string[];
  /** 1-based line number in the file. */
  line: number;
  matcher: RegExp;
}

const OWNER = /^(?:@[\w.-]+(?:\/[\w.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/**
 * Parses a CODEOWNERS file the way GitHub reads it
 * (https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
 * `#` starts a comment (also after the owners), each line is a gitignore-style pattern and
 * its owners, a line without owners removes ownership. Lines GitHub rejects are skipped:
 * negation (`!`), character ranges (`[ ]`), `***`, and owners that are not `@user`,
 * `@org/team` or an e-mail address. `\#` and `\ ` escape a literal `#` or space in a pattern.
 *
 * @example parseCodeowners("*.js @acme/web-team # front end").map((rule) => rule.owners) // [["@acme/web-team"]]
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const tokens = tokenize(raw);
    const [pattern, ...rest] = tokens;
    if (pattern === undefined) continue;
    const owners = rest;
    if (!isSupportedPattern(pattern) || !owners.every((owner) => OWNER.test(owner))) continue;
    const matcher = compilePattern(pattern);
    if (matcher) rules.push({ pattern, owners, line: index + 1, matcher });
  }
  return rules;
}

/**
 * The owners of one path: those of the last matching rule (later lines take precedence), or
 * none when no rule matches or the last match has no owners.
 *
 * @example ownersOf(parseCodeowners("* @all\n*.js @js"), "src/app.js") // ["@js"]
 */
export function ownersOf(rules: readonly CodeownersRule[], path: string): string[] {
  const normalised = path.replace(/^(?:\.\/|\/)+/, "");
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule?.matcher.test(normalised)) return [...rule.owners];
  }
  return [];
}

/**
 * The owners of a set of changed files, ordered by how many of the files each owns (ties
 * keep the order of first appearance). This is what `ci.codeowners_teams` carries.
 *
 * @example teamsForChanges(parseCodeowners("*.js @web\n*.go @api"), ["a.js", "b.js", "c.go"]) // ["@web", "@api"]
 */
export function teamsForChanges(rules: readonly CodeownersRule[], files: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const file of new Set(files)) {
    for (const owner of ownersOf(rules, file)) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([owner]) => owner);
}

/** Splits a line on unescaped whitespace, stopping at a `#` that starts a token (a comment). */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? "";
    if (char === "\\" && i + 1 < line.length) {
      const next = line[i + 1] ?? "";
      // Keep the backslash for glob escapes (`\*`); `\#` and `\ ` become literal characters.
      current += next === "#" || next === " " ? next : `\\${next}`;
      inToken = true;
      i++;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else if (char === "#" && !inToken) {
      break;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

function isSupportedPattern(pattern: string): boolean {
  const unescaped = pattern.replace(/\\./g, "");
  return !pattern.startsWith("!") && !/[[\]]/.test(unescaped) && !pattern.includes("***") && pattern !== "/";
}

/**
 * Compiles a gitignore-style pattern to a regular expression on repository-relative paths:
 * a leading or inner `/` anchors the pattern at the root, otherwise it matches at any depth;
 * a trailing `/` matches a directory's contents; a match on a directory covers everything
 * below it, except that a final lone `*` matches one level only (`docs/*` owns
 * `docs/a.md`, not `docs/build/b.md`).
 */
function compilePattern(pattern: string): RegExp | undefined {
  const segments = pattern.split("/");
  if (segments[0] === "") segments.shift();
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === "")) {
    if (segments[0] !== "**") segments.unshift("**");
  }
  if (segments.length > 1 && segments.at(-1) === "") segments[segments.length - 1] = "**";
  if (segments.length === 0 || segments.every((segment) => segment === "")) return undefined;

  let source = "^";
  let needSlash = false;
  const last = segments.length - 1;
  for (const [i, segment] of segments.entries()) {
    if (segment === "**") {
      if (i === 0 && i === last) source += ".+";
      else if (i === 0) source += "(?:.+/)?";
      else if (i === last) source += "/.*";
      else source += "(?:/.+)?";
      needSlash = i !== 0;
      continue;
    }
    if (needSlash) source += "/";
    if (segment === "*") {
      source += "[^/]+";
    } else {
      source += segmentSource(segment);
      if (i === last) source += "(?:/.*)?";
    }
    needSlash = true;
  }
  return new RegExp(`${source}$`);
}

function segmentSource(segment: string): string {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? "";
    if (char === "\\" && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i] ?? "");
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += escapeRegExp(char);
    }
  }
  return source;
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
