// Scale benchmark: the real receiver process on a database holding 10,000 and then 1,000,000 releases.
//  - bytes per release on disk (database file after a WAL checkpoint, divided by the releases)
//  - start-up time with that database (spawn to "listening", median of 5)
//  - the receiver's resident memory with that database, after serving reads and (at the largest size) then
//    writes, which start the write thread (goal < 200 MB)
//  - history-page and current-version latency over HTTP at 1,000,000 against 10,000 releases, and the
//    latency of one write at a time at 1,000,000
// The history is written straight into the tables by the read benchmark's loader (bench/lib/read-data.mjs),
// so both benchmarks measure the same data.
//
//   node bench/scale-bench.mjs                        (after `npx tsc -b`; `npm run bench` does both)
//   BENCH_RELEASES=100000 node bench/scale-bench.mjs  (a quicker run)
import { statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";
import Database from "libsql";
import { releaseBody } from "./ingest-bench.mjs";
import { machine, ROOT, startReceiver, tempDatabase } from "./lib/processes.mjs";
import { ENVIRONMENTS, loadReleases, newState, PACKAGES } from "./lib/read-data.mjs";

const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_RELEASES ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const GOALS = { rssMb: 200, startMs: 1000 };

const { Store } = await import("../receiver/dist/index.js");

/** The reads a dashboard and the CLI make, each a function of the request number. */
const READS = {
  history_first_page: () => "/api/releases?limit=50",
  history_environment_page: (i) => `/api/releases?environment=${ENVIRONMENTS[i % 3]}&limit=50`,
  history_package_page: (i) => `/api/releases?package=${PACKAGES[(i * 13) % PACKAGES.length]}&limit=50`,
  current_version: (i) =>
    `/api/packages/${PACKAGES[(i * 7) % PACKAGES.length]}/current?environment=${ENVIRONMENTS[i % 3]}`,
};

async function main() {
  const db = tempDatabase("sponge-scale-bench-");
  const result = {
    at: new Date().toISOString(),
    machine: machine(),
    releases: { small: SMALL, large: LARGE },
  };
  try {
    const store = await Store.open({ url: db.url, synchronous: "NORMAL" });
    const state = newState();
    await loadReleases(store, { from: 0, to: SMALL, total: LARGE, state });
    await store.close();
    result.small = await measure(db, SMALL);
    log(`at ${SMALL}: ${JSON.stringify(result.small)}`);

    const again = await Store.open({ url: db.url, synchronous: "NORMAL" });
    const started = performance.now();
    await loadReleases(again, {
      from: SMALL,
      to: LARGE,
      total: LARGE,
      state,
      onBatch: (n) => log(`  ${n} releases`),
    });
    await again.close();
    result.load_seconds = Math.round((performance.now() - started) / 1000);
    result.large = await measure(db, LARGE, { writes: true });
    log(`at ${LARGE}: ${JSON.stringify(result.large)}`);

    result.latency_ratio = Object.fromEntries(
      Object.keys(READS).map((name) => [
        name,
        round(result.large.reads[name].p50_ms / result.small.reads[name].p50_ms, 2),
      ]),
    );
    result.goals = {
      rss: {
        goal: `< ${GOALS.rssMb} MB`,
        value: result.large.rss_mb,
        met: result.large.rss_mb < GOALS.rssMb,
      },
      start: {
        goal: `< ${GOALS.startMs} ms`,
        value: result.large.start_ms,
        met: result.large.start_ms < GOALS.startMs,
      },
    };
    writeFileSync(join(ROOT, "bench/results/scale.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await rm(db.dir, { recursive: true, force: true });
  }
}

/** Size on disk, start-up time, memory and read latency of the receiver on the database as it is. */
async function measure(db, releases, { writes = false } = {}) {
  const file = new Database(db.path);
  file.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const counted = file.prepare("SELECT count(*) AS n FROM releases").get().n;
  file.close();
  if (counted !== releases) throw new Error(`expected ${releases} releases, found ${counted}`);
  const bytes = statSync(db.path).size;

  const env = { SPONGE_DATABASE_URL: db.url, SPONGE_TOKENS: `write:${TOKEN}` };
  const starts = [];
  for (let i = 0; i < 5; i++) {
    const receiver = await startReceiver(env);
    starts.push(receiver.startMs);
    await receiver.stop();
  }
  const receiver = await startReceiver(env);
  const rssAtStartMb = receiver.rss() / 2 ** 20;
  const reads = {};
  let rssMb;
  let rssAfterReadsMb;
  try {
    for (const [name, pathOf] of Object.entries(READS)) reads[name] = await latency(receiver.port, pathOf);
    // A deep page: following next_cursor costs the same as the first page.
    reads.history_page_20_deep = await deepPageLatency(receiver.port);
    rssAfterReadsMb = receiver.rss() / 2 ** 20;
    // New releases, one at a time: the latency of a write (with its fsync) into the history. Last, at the
    // largest size only: they take row numbers that the loader would use next.
    if (writes)
      reads.write_release = await latency(
        receiver.port,
        () => "/api/releases",
        (i) => releaseBody(i, WRITTEN),
      );
  } finally {
    rssMb = receiver.rss() / 2 ** 20;
    await receiver.stop();
  }
  return {
    bytes_on_disk: bytes,
    bytes_per_release: Math.round(bytes / releases),
    start_ms: round(median(starts), 0),
    rss_at_start_mb: round(rssAtStartMb, 0),
    rss_after_reads_mb: round(rssAfterReadsMb, 0),
    rss_mb: round(rssMb, 0),
    reads,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const TOKEN = "scale-bench-token-1";
/** The key prefix of the releases the benchmark writes through the API. */
const WRITTEN = "scale-write";

/** A GET, or a POST of `body` with the write token. */
function request(port, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body ? { "content-type": "application/json", authorization: `Bearer ${TOKEN}` } : {};
    const req = http.request(
      { host: "127.0.0.1", port, path, agent, method: body ? "POST" : "GET", headers },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sequential requests over one keep-alive connection: latency without queueing. */
async function latency(port, pathOf, bodyOf) {
  for (let i = 0; i < 200; i++) await request(port, pathOf(i), bodyOf?.(-1 - i));
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await request(port, pathOf(i), bodyOf?.(i));
    times.push(performance.now() - t);
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${pathOf(i)} answered ${res.status}: ${res.body}`);
  }
  return summarise(times);
}

async function deepPageLatency(port) {
  const times = [];
  for (let round = 0; round < 20; round++) {
    let path = "/api/releases?limit=50";
    for (let page = 0; page < 20; page++) {
      const t = performance.now();
      const res = await request(port, path);
      if (page === 19) times.push(performance.now() - t);
      const next = JSON.parse(res.body).next_cursor;
      if (!next) throw new Error(`history ended after ${page + 1} pages`);
      path = `/api/releases?limit=50&cursor=${encodeURIComponent(next)}`;
    }
  }
  return summarise(times);
}

function summarise(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50_ms: round(sorted[Math.floor(sorted.length / 2)], 3),
    p99_ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))], 3),
  };
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function log(message) {
  console.log(`[scale-bench] ${message}`);
}

await main();
