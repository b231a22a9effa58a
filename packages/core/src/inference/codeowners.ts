/** One usable line of a CODEOWNERS file. */
export interface CodeownersRule {
  /** The pattern as written (escapes resolved). */
  pattern: string;
  /** `@user`, `@org/team` or e-mail owners; empty when the line removes ownership. */
  owners: string[];
  /** 1-based line number in the file. */
  line: number;
  /** Whether the pattern owns a repository-relative path. */
  matches(path: string): boolean;
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
    const [pattern, ...owners] = tokenize(raw);
    if (pattern === undefined) continue;
    if (!isSupportedPattern(pattern) || !owners.every((owner) => OWNER.test(owner))) continue;
    const tokens = compilePattern(pattern);
    if (!tokens) continue;
    const rule: CodeownersRule = {
      pattern,
      owners,
      line: index + 1,
      matches: (path) => matchTokens(tokens, segmentsOf(path)),
    };
    compiled.set(rule, tokens);
    rules.push(rule);
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
  const segments = segmentsOf(path);
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (!rule) continue;
    const tokens = compiled.get(rule);
    if (tokens ? matchTokens(tokens, segments) : rule.matches(path)) return [...rule.owners];
  }
  return [];
}

/** Compiled patterns of parsed rules, so that `ownersOf` splits a path once for all rules. */
const compiled = new WeakMap<CodeownersRule, readonly Token[]>();

function segmentsOf(path: string): string[] {
  return path.replace(/^(?:\.\/|\/)+/, "").split("/");
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

type Piece = { kind: "star" } | { kind: "one" } | { kind: "char"; char: string };
type Token =
  | { kind: "globstar" }
  | { kind: "segment"; pieces: Piece[]; lone: boolean; literal: string | undefined };

/**
 * Compiles a gitignore-style pattern to a matcher of repository-relative paths: a leading or
 * inner `/` anchors the pattern at the root, otherwise it matches at any depth; a trailing
 * `/` matches a directory's contents; a match on a directory covers everything below it,
 * except that a final lone `*` matches one level only (`docs/*` owns `docs/a.md`, not
 * `docs/build/b.md`). Matching works segment by segment with memoisation, never with a
 * backtracking regular expression, so no pattern in a repository can make it slow.
 */
function compilePattern(pattern: string): Token[] | undefined {
  const segments = pattern.split("/");
  if (segments[0] === "") segments.shift();
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === "")) {
    if (segments[0] !== "**") segments.unshift("**");
  }
  if (segments.length > 1 && segments.at(-1) === "") segments[segments.length - 1] = "**";
  if (segments.length === 0 || segments.some((segment) => segment === "")) return undefined;
  return segments
    .filter((segment, i) => !(segment === "**" && segments[i + 1] === "**"))
    .map((segment): Token => {
      if (segment === "**") return { kind: "globstar" };
      const pieces = piecesOf(segment);
      const literal = pieces.every((piece) => piece.kind === "char")
        ? pieces.map((piece) => (piece.kind === "char" ? piece.char : "")).join("")
        : undefined;
      return { kind: "segment", pieces, lone: segment === "*", literal };
    });
}

function piecesOf(segment: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? "";
    if (char === "\\" && i + 1 < segment.length) pieces.push({ kind: "char", char: segment[++i] ?? "" });
    else if (char === "*") pieces.push({ kind: "star" });
    else if (char === "?") pieces.push({ kind: "one" });
    else pieces.push({ kind: "char", char });
  }
  return pieces;
}

function matchTokens(tokens: readonly Token[], path: readonly string[]): boolean {
  const first = tokens[0];
  // Most rules are anchored at a literal directory: reject those cheaply.
  if (first?.kind === "segment" && first.literal !== undefined && first.literal !== path[0]) return false;
  const last = tokens.length - 1;
  // 0 = not computed, 1 = no match, 2 = match.
  const memo = new Uint8Array((tokens.length + 1) * (path.length + 1));
  const match = (i: number, j: number): boolean => {
    const key = i * (path.length + 1) + j;
    const known = memo[key];
    if (known) return known === 2;
    let result: boolean;
    const token = tokens[i];
    if (token === undefined) {
      result = j === path.length;
    } else if (token.kind === "globstar") {
      // A final `**` needs something below it; elsewhere it spans zero or more segments.
      if (i === last) result = j < path.length;
      else result = match(i + 1, j) || (j < path.length && match(i, j + 1));
    } else {
      const segment = path[j];
      const matched =
        segment !== undefined &&
        segment !== "" &&
        (token.literal !== undefined ? token.literal === segment : matchSegment(token.pieces, segment));
      if (!matched) result = false;
      else if (i === last) result = token.lone ? j + 1 === path.length : true;
      else result = match(i + 1, j + 1);
    }
    memo[key] = result ? 2 : 1;
    return result;
  };
  return match(0, 0);
}

/** Wildcard match within one segment (`*` any run, `?` one character) in O(pattern × text). */
function matchSegment(pieces: readonly Piece[], text: string): boolean {
  // `*.js`, the common case, is a suffix test.
  const [head, ...rest] = pieces;
  if (head?.kind === "star" && rest.every((piece) => piece.kind === "char")) {
    return text.endsWith(rest.map((piece) => (piece.kind === "char" ? piece.char : "")).join(""));
  }
  let reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (const piece of pieces) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let j = 0; j <= text.length; j++) {
      if (piece.kind === "star") next[j] = reachable[j] === true || (j > 0 && next[j - 1] === true);
      else if (j > 0 && reachable[j - 1] === true)
        next[j] = piece.kind === "one" || text[j - 1] === piece.char;
    }
    reachable = next;
  }
  return reachable[text.length] === true;
}
