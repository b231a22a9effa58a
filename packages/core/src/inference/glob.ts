import picomatch from "picomatch";

export interface MatchGlobOptions {
  /** Compare without regard to case (repository names and logins are case-insensitive). */
  nocase?: boolean;
}

/**
 * Whether `value` matches any of `globs`. `*` stays within one `/`-separated segment,
 * `**` crosses segments, and brackets are literal so that `*[bot]` means "ends in [bot]".
 *
 * @example matchesAnyGlob("renovate[bot]", ["*[bot]"], { nocase: true }) // true
 */
export function matchesAnyGlob(
  value: string,
  globs: readonly string[],
  options: MatchGlobOptions = {},
): boolean {
  if (globs.length === 0) return false;
  return matcherFor(globs, options.nocase ?? false)(value);
}

type Matcher = (value: string) => boolean;

/**
 * Compiled matchers by glob list. The lists come from the configuration, which is fixed for a process, so
 * the cache stays small; compiling on every release was a measurable share of ingest time.
 */
const matchers = new Map<string, Matcher>();
const MAX_MATCHERS = 1000;

function matcherFor(globs: readonly string[], nocase: boolean): Matcher {
  const key = `${nocase ? "i" : "s"}\u0000${globs.join("\u0000")}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    if (matchers.size >= MAX_MATCHERS) matchers.clear();
    matcher = picomatch([...globs], { nocase, literalBrackets: true, dot: true });
    matchers.set(key, matcher);
  }
  return matcher;
}
