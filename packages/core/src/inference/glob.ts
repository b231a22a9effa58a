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
  return picomatch.isMatch(value, [...globs], {
    nocase: options.nocase ?? false,
    literalBrackets: true,
    dot: true,
  });
}
