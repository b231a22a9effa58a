import { existsSync, rmSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import Database from "libsql";

/** The idempotency key prefix of every release the demo records (seed-demo.ts). */
export const DEMO_KEY_PREFIX = "demo:";

/**
 * Why the demo must not replace the file at `path`, or undefined when it may: there is no such file, or
 * it is a Sponge database that holds nothing but releases the demo recorded (every key starting with
 * `demo:`) — no other release, no token, no webhook delivery, no OIDC repository. The file is opened
 * read-only and left as it was.
 *
 * @example const refusal = whyNotReplace("./data/demo.db"); // "it holds 12 releases the demo did not record"
 */
export function whyNotReplace(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) return "it is a directory";
  let db: Database.Database | undefined;
  try {
    db = new Database(`${pathToFileURL(path).href}?mode=ro`);
    const tables = new Set(
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => (row as { name: string }).name),
    );
    if (!["schema_migrations", "releases", "tokens", "deliveries"].every((table) => tables.has(table)))
      return "it is not a Sponge database";
    const count = (sql: string, ...params: (string | number)[]) =>
      Number((db?.prepare(sql).get(...params) as { n: number } | undefined)?.n ?? 0);
    const others = count(
      "SELECT count(*) AS n FROM releases WHERE key IS NULL OR substr(key, 1, ?) <> ?",
      DEMO_KEY_PREFIX.length,
      DEMO_KEY_PREFIX,
    );
    if (others > 0) return `it holds ${others} release(s) the demo did not record`;
    if (count("SELECT count(*) AS n FROM tokens") > 0) return "it holds API tokens";
    if (count("SELECT count(*) AS n FROM deliveries") > 0) return "it holds webhook deliveries";
    if (tables.has("oidc_repositories") && count("SELECT count(*) AS n FROM oidc_repositories") > 0)
      return "it holds OIDC repositories";
    return undefined;
  } catch (error) {
    return `it cannot be read as a Sponge database (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    db?.close();
  }
}

/**
 * Deletes the demo database at `path` (with its -wal and -shm files) so that the demo starts afresh, after
 * `whyNotReplace` said it may; throws, naming the path and the reason, when it may not.
 */
export function replaceDemoDatabase(path: string): void {
  const refusal = whyNotReplace(path);
  if (refusal !== undefined) {
    throw new Error(
      `--database ${path}: refusing to replace it: ${refusal}. The demo replaces only a database it recorded ` +
        "itself; name another file, or delete this one first if you mean to lose it",
    );
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}
