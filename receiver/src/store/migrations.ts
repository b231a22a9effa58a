import type { Sql } from "./database.js";

/**
 * Versioned schema migrations, applied in order at start-up inside one transaction each.
 * Append new migrations; never edit one that has shipped.
 *
 * Timestamps are ISO 8601 UTC text (`2026-01-02T03:04:05.678Z`), which sorts like time.
 * Each release row keeps its full JSON document (`doc`) so reads return it without joins;
 * the child tables exist for filtering, current versions and DORA, and are indexed so that no
 * read scans the whole history.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "releases",
    sql: `
CREATE TABLE releases (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  key TEXT UNIQUE,
  status TEXT NOT NULL,
  environment TEXT NOT NULL,
  person TEXT,
  team TEXT,
  source TEXT NOT NULL,
  repository TEXT,
  commit_sha TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms INTEGER,
  lead_time_ms INTEGER,
  rollback INTEGER NOT NULL DEFAULT 0,
  doc TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX releases_by_start ON releases (started_at, id);
CREATE INDEX releases_by_environment ON releases (environment, started_at, id);
CREATE INDEX releases_by_status ON releases (status, started_at, id);
CREATE INDEX releases_by_team ON releases (team, started_at, id) WHERE team IS NOT NULL;
CREATE INDEX releases_by_person ON releases (person, started_at, id) WHERE person IS NOT NULL;
CREATE INDEX releases_by_finish ON releases (environment, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX releases_by_run ON releases (repository, json_extract(doc, '$.ci.run_id')) WHERE source = 'github-action';

CREATE TABLE release_packages (
  release_seq INTEGER NOT NULL REFERENCES releases (seq) ON DELETE CASCADE,
  name TEXT NOT NULL,
  environment TEXT NOT NULL,
  version TEXT,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  release_id TEXT NOT NULL,
  PRIMARY KEY (release_seq, name)
) WITHOUT ROWID;
CREATE INDEX packages_by_name ON release_packages (name, started_at, release_id);
CREATE INDEX packages_succeeded ON release_packages (name, environment, finished_at) WHERE status = 'succeeded';
CREATE INDEX packages_succeeded_version ON release_packages (name, environment, version, finished_at) WHERE status = 'succeeded';

CREATE TABLE release_tags (
  release_seq INTEGER NOT NULL REFERENCES releases (seq) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  started_at TEXT NOT NULL,
  release_id TEXT NOT NULL,
  PRIMARY KEY (release_seq, kind, value)
) WITHOUT ROWID;
CREATE INDEX tags_by_value ON release_tags (kind, value, started_at, release_id);

CREATE TABLE current_versions (
  package TEXT NOT NULL,
  environment TEXT NOT NULL,
  version TEXT,
  release_seq INTEGER NOT NULL,
  deployed_at TEXT NOT NULL,
  PRIMARY KEY (package, environment)
) WITHOUT ROWID;
CREATE INDEX current_by_environment ON current_versions (environment, package);

CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  release_seq INTEGER NOT NULL REFERENCES releases (seq) ON DELETE CASCADE,
  ts TEXT NOT NULL,
  level TEXT NOT NULL,
  host TEXT,
  message TEXT NOT NULL
);
CREATE INDEX logs_by_release ON logs (release_seq, id);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT,
  scope TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT
);

CREATE TABLE deliveries (
  seq INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  event TEXT NOT NULL,
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  release_id TEXT,
  message TEXT,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (provider, delivery_id)
);
CREATE INDEX deliveries_by_time ON deliveries (received_at);

CREATE TABLE oidc_repositories (
  repository TEXT PRIMARY KEY,
  repository_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  first_seen_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: "read-indexes",
    // DORA scans one environment's window on finished_at; this index covers every column it reads, so
    // the scan never touches the wide release rows. The second serves "latest deployment of a package
    // in an environment" (badges, whatever its status) without walking the package's whole history.
    sql: `
CREATE INDEX releases_finished_covering ON releases (environment, finished_at, status, team, lead_time_ms)
  WHERE finished_at IS NOT NULL;
CREATE INDEX packages_by_environment ON release_packages (name, environment, started_at, status);
`,
  },
  {
    version: 3,
    name: "log-batch-keys",
    // A log upload retried with the same Idempotency-Key must not append its lines twice.
    sql: `
ALTER TABLE logs ADD COLUMN batch_key TEXT;
CREATE INDEX logs_by_batch ON logs (release_seq, batch_key) WHERE batch_key IS NOT NULL;
`,
  },
  {
    version: 4,
    name: "delivery-log",
    // Every webhook attempt gets its own row: a redelivery is logged as `duplicate`, a replay points at
    // the delivery it re-ran (`replay_of`), a delivery that failed does not block a later good one. So the
    // provider's delivery id is unique only among processed first deliveries (a partial index); the
    // table is rebuilt because SQLite cannot drop v1's UNIQUE constraint in place.
    sql: `
CREATE TABLE deliveries_v4 (
  seq INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  event TEXT NOT NULL,
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  release_id TEXT,
  message TEXT,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  replay_of INTEGER
);
INSERT INTO deliveries_v4 (seq, provider, delivery_id, event, received_at, outcome, release_id, message, headers, body)
  SELECT seq, provider, delivery_id, event, received_at, outcome, release_id, message, headers, body FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v4 RENAME TO deliveries;
CREATE UNIQUE INDEX deliveries_processed ON deliveries (provider, delivery_id)
  WHERE replay_of IS NULL AND outcome NOT IN ('duplicate', 'error');
CREATE INDEX deliveries_by_time ON deliveries (received_at);
CREATE INDEX deliveries_by_provider ON deliveries (provider, outcome, seq);
CREATE INDEX deliveries_by_outcome ON deliveries (outcome, seq);
CREATE INDEX deliveries_by_release ON deliveries (release_id) WHERE release_id IS NOT NULL;
`,
  },
  {
    version: 5,
    name: "github-releases-by-run",
    // A deployment webhook can arrive before the action's request for the same job; the action's write
    // then finds and adopts that release by repository and run instead of recording the job twice.
    sql: `
CREATE INDEX releases_by_github_run ON releases (repository, json_extract(doc, '$.ci.run_id')) WHERE source = 'github';
`,
  },
  {
    version: 6,
    name: "drop-redundant-finish-index",
    // releases_finished_covering (v2) starts with the same columns under the same condition and serves
    // every query this one did; each index costs every write a page in the WAL.
    sql: `
DROP INDEX IF EXISTS releases_by_finish;
`,
  },
  {
    version: 7,
    name: "removals",
    // A package taken out of an environment (CDEvents service.removed, DELETE .../current) has no current
    // version there until a deployment that finished after the removal. Every removal is kept, with who
    // reported it and what was current before: history before a removal does not count after it.
    sql: `
CREATE TABLE removals (
  package TEXT NOT NULL,
  environment TEXT NOT NULL,
  removed_at TEXT NOT NULL,
  source TEXT NOT NULL,
  service TEXT,
  version TEXT,
  release_id TEXT,
  PRIMARY KEY (package, environment, removed_at)
) WITHOUT ROWID;
`,
  },
  {
    version: 8,
    name: "removals-by-time",
    // GET /api/removals lists them newest first, over all packages or in one environment: without these it
    // would read and sort the whole table for every page.
    sql: `
CREATE INDEX removals_by_time ON removals (removed_at, package, environment);
CREATE INDEX removals_by_environment ON removals (environment, removed_at, package);
`,
  },
];

/** Applies the migrations the database has not seen yet. Safe to run from several receivers at once. */
export async function migrate(sql: Sql): Promise<number> {
  await sql.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  let applied = 0;
  for (const migration of MIGRATIONS) {
    await sql.exec("BEGIN IMMEDIATE");
    try {
      const done = await sql.get("SELECT 1 FROM schema_migrations WHERE version = ?", [migration.version]);
      if (!done) {
        await sql.exec(migration.sql);
        await sql.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        applied++;
      }
      await sql.exec("COMMIT");
    } catch (error) {
      await sql.exec("ROLLBACK");
      throw error;
    }
  }
  return applied;
}
