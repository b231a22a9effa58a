// Writes synthetic release history straight into the receiver's tables (the same rows saveRelease
// writes), one transaction per batch through the store's write queue: a million releases in minutes,
// where going through HTTP would take hours on a small machine.

export const PACKAGES = Array.from({ length: 200 }, (_, i) => `service-${String(i).padStart(3, "0")}`);
export const ENVIRONMENTS = ["production", "staging", "prod-eu", "dev"];
/** The history spans two years ending at END. */
export const END = Date.parse("2026-01-01T00:00:00Z");
export const SPAN_MS = 730 * 86_400_000;

const BATCH = 10_000;

/** A small deterministic hash, so every run writes the same history. */
function mix(n, salt) {
  let x = (n * 0x9e3779b1 + salt * 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function environmentOf(n) {
  const r = mix(n, 1) % 100;
  return r < 40 ? "production" : r < 75 ? "staging" : r < 90 ? "prod-eu" : "dev";
}

function statusOf(n) {
  const r = mix(n, 2) % 1000;
  if (r < 840) return "succeeded";
  if (r < 940) return "failed";
  if (r < 995) return "cancelled";
  return "running";
}

/**
 * Generates and inserts releases [from, to) of a history planned for `total` releases evenly spread
 * over SPAN_MS. `state` carries what the generator needs across calls (versions and current versions).
 */
export async function loadReleases(store, { from, to, total, state, onBatch }) {
  // The usual bulk-load move: drop the secondary indexes of the history tables, insert, then create them
  // again from their own definitions. Same schema afterwards, in a fraction of the time it takes to
  // grow twenty B-trees one random key at a time.
  const indexes = await store.reader.all(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('releases', 'release_packages', 'release_tags')`,
  );
  await store.write(async (sql) => {
    for (const index of indexes) await sql.exec(`DROP INDEX ${index.name}`);
  });
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(start + BATCH, to);
    await store.write(async (sql) => {
      for (let n = start; n < end; n++) await insertRelease(sql, n, total, state);
    });
    if (onBatch && end % 100_000 === 0) onBatch(end);
  }
  await store.write(async (sql) => {
    for (const index of indexes) await sql.exec(index.sql);
  });
  await store.write(async (sql) => {
    for (const [key, current] of state.current) {
      const [name, environment] = key.split("\u0000");
      await sql.run(
        `INSERT INTO current_versions (package, environment, version, release_seq, deployed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (package, environment) DO UPDATE SET version = excluded.version,
           release_seq = excluded.release_seq, deployed_at = excluded.deployed_at`,
        [name, environment, current.version, current.seq, current.finishedAt],
      );
    }
  });
}

export function newState() {
  return { versions: new Map(), current: new Map() };
}

async function insertRelease(sql, n, total, state) {
  const seq = n + 1;
  const environment = environmentOf(n);
  const name = PACKAGES[mix(n, 3) % PACKAGES.length];
  const key = `${name}\u0000${environment}`;
  let status = statusOf(n);
  const finishedMs = END - SPAN_MS + Math.floor((n * SPAN_MS) / total) + (mix(n, 4) % 60_000);
  const durationMs = 60_000 + (mix(n, 5) % 540_000);
  const startedAt = new Date(finishedMs - durationMs).toISOString();
  if (status === "running" && n < total - 5_000) status = "cancelled";
  const finishedAt = status === "running" ? null : new Date(finishedMs).toISOString();
  const history = state.versions.get(key) ?? [];
  let version = `${1 + Math.floor(n / 100_000)}.${n % 100_000}.0`;
  let rollback = false;
  if (status === "succeeded" && history.length >= 2 && mix(n, 6) % 100 < 2) {
    version = history[history.length - 2];
    rollback = true;
  }
  const leadTimeMs = status === "succeeded" ? 600_000 + (mix(n, 7) % 259_200_000) : null;
  const id = `0${finishedMs.toString(16).padStart(12, "0")}-${seq.toString(16).padStart(12, "0")}`;
  const commit = (mix(n, 8).toString(16) + mix(n, 9).toString(16)).padEnd(40, "a").slice(0, 40);
  const team = `team-${mix(n, 3) % 12}`;
  const person = `dev${mix(n, 10) % 80}`;
  const host = `host-${mix(n, 11) % 300}`;
  const reference = `PAY-${mix(n, 12) % 5000}`;
  const previous = history[history.length - 1] ?? null;
  const release = {
    id,
    key: `bench-${n}`,
    status,
    environment,
    platforms: ["linux"],
    notes: [`deploy ${n}`],
    references: [reference],
    person,
    team,
    source: "api",
    repository: `acme/${name}`,
    commit,
    ref: "refs/heads/main",
    url: `https://ci.example.com/runs/${n}`,
    started_at: startedAt,
    finished_at: finishedAt,
    duration_ms: finishedAt ? durationMs : null,
    lead_time_ms: leadTimeMs,
    rollback,
    metadata: {},
    ci: { provider: "github", run_id: String(n), run_attempt: 1, job: "deploy" },
    inferred: {},
    packages: [
      {
        name,
        version,
        previous_version: previous,
        status,
        rollback,
        started_at: startedAt,
        finished_at: finishedAt,
        duration_ms: finishedAt ? durationMs : null,
        diff_url: null,
      },
    ],
    hosts: [
      {
        name: host,
        package: null,
        status,
        started_at: startedAt,
        finished_at: finishedAt,
        duration_ms: null,
        message: null,
      },
    ],
    commits: [{ sha: commit, message: `${reference} change ${n}`, author: person, timestamp: startedAt }],
    created_at: startedAt,
    updated_at: finishedAt ?? startedAt,
  };
  await sql.run(
    `INSERT INTO releases (seq, id, key, status, environment, person, team, source, repository, commit_sha,
       started_at, finished_at, duration_ms, lead_time_ms, rollback, doc, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'api', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      seq,
      id,
      release.key,
      status,
      environment,
      person,
      team,
      release.repository,
      commit,
      startedAt,
      finishedAt,
      release.duration_ms,
      leadTimeMs,
      rollback ? 1 : 0,
      JSON.stringify(release),
      release.updated_at,
    ],
  );
  await sql.run(
    `INSERT INTO release_packages (release_seq, name, environment, version, status, started_at, finished_at, release_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [seq, name, environment, version, status, startedAt, finishedAt, id],
  );
  await sql.run(
    `INSERT INTO release_tags (release_seq, kind, value, started_at, release_id)
     VALUES (?1, 'reference', ?2, ?4, ?5), (?1, 'host', ?3, ?4, ?5), (?1, 'platform', 'linux', ?4, ?5)`,
    [seq, reference, host, startedAt, id],
  );
  if (status === "succeeded") {
    if (!rollback) history.push(version);
    if (history.length > 4) history.shift();
    state.versions.set(key, history);
    state.current.set(key, { version, seq, finishedAt });
  }
}
