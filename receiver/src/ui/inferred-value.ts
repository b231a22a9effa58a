import type { Release } from "@sponge/core";

/**
 * The value an `inferred` key names: a release field, `packages[0].version` and the like, or a package's
 * field by name (`packages.<name>.diff_url`).
 *
 * @example inferredValue(release, "packages.api.diff_url") // "https://github.com/acme/api/compare/…"
 */
export function inferredValue(release: Release, field: string): string {
  const nested = /^packages\[(\d+)\]\.(\w+)$/.exec(field);
  const named = /^packages\.(.+)\.(\w+)$/.exec(field);
  const pkg = nested
    ? release.packages[Number(nested[1])]
    : named
      ? release.packages.find((p) => p.name === named[1])
      : undefined;
  const value: unknown =
    nested || named
      ? new Map(Object.entries(pkg ?? {})).get((nested ?? named)?.[2] ?? "")
      : new Map(Object.entries(release)).get(field);
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
