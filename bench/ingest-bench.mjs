// Ingest benchmark: POST /api/releases (two packages each) with 50 connections against the real receiver
// process on embedded libSQL (WAL, synchronous=FULL unless SPONGE_DATABASE_SYNCHRONOUS says otherwise),
// next to two references measured in the same run: a bare Hono JSON-echo route (the ceiling the goal is
// stated against) and the cheapest durable write of the same request, one row per release with group
// commit (bench/lib/row-server.mjs). Afterwards the receiver is killed with SIGKILL and the database is
// opened again: every acknowledged release must be there.
//
//   node bench/ingest-bench.mjs            (after `npx tsc -b`; `npm run bench` does both)
//   BENCH_SECONDS=20 BENCH_PROFILE=1 node bench/ingest-bench.mjs   (CPU profile of the receiver in bench/results/)
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Database from "libsql";
import { machine, ROOT, startEcho, startProcess, startReceiver, tempDatabase } from "./lib/processes.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOKEN = "bench-write-token-0001";
const RESULTS = join(ROOT, "bench/results");
const GOALS = { ratio: 0.5, p99Ms: 25 };

const PACKAGES = Array.from({ length: 40 }, (_, i) => `service-${i}`);
const ENVIRONMENTS = ["production", "staging", "prod-eu"];
const STATUSES = ["succeeded", "succeeded", "succeeded", "failed", "running"];

/** A release like a CI job sends: two packages, a commit, references, CI context. */
export function releaseBody(n, runId = "bench") {
  const first = PACKAGES[n % PACKAGES.length];
  const second = PACKAGES[(n * 7 + 3) % PACKAGES.length];
  const sha = (n * 2654435761).toString(16).padStart(8, "0").repeat(5).slice(0, 40);
  return JSON.stringify({
    key: `${runId}-${n}`,
    environment: ENVIRONMENTS[n % ENVIRONMENTS.length],
    status: STATUSES[n % STATUSES.length],
    repository: "acme/shop",
    commit: sha,
    ref: "refs/heads/main",
    packages: [
      { name: first, version: `1.${n % 97}.${n % 13}` },
      { name: second === first ? `${second}-b` : second, version: `2.${n % 89}.${n % 11}` },
    ],
    references: [`PAY-${n % 1000}`],
    notes: [`deploy ${n}`],
    person: `dev${n % 25}`,
    ci: { provider: "github", run_id: String(n), run_attempt: "1", job: "deploy", event: "push" },
  });
}

function load(url, path, makeBody, seconds = SECONDS) {
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: "POST",
            path,
            headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
            setupRequest: (request) => {
              request.body = makeBody(n++);
              return request;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("error", reject);
  });
}

/** Runs `load` and adds the server's CPU time per request: a figure other load on the machine barely moves. */
async function measured(server, run) {
  const before = server.cpuMs();
  const client = process.cpuUsage();
  const result = await run();
  const cpuMs = server.cpuMs() - before;
  const clientUs = Object.values(process.cpuUsage(client)).reduce((a, b) => a + b, 0);
  const requests = Math.max(1, result.requests.total);
  return {
    ...summary(result),
    cpu_us_per_request: Math.round((cpuMs * 1000) / requests),
    // The load generator shares the machine's two cores with the server it measures.
    client_cpu_us_per_request: Math.round(clientUs / requests),
  };
}

function summary(result) {
  return {
    requests_per_second: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    ok: result["2xx"],
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main() {
  const profile = process.env.BENCH_PROFILE === "1";
  mkdirSync(RESULTS, { recursive: true });
  const db = tempDatabase();
  const synchronous = process.env.SPONGE_DATABASE_SYNCHRONOUS ?? "FULL";
  const echo = await startEcho();
  const rowDb = tempDatabase("sponge-bench-rows-");
  const rows = await startProcess(join(ROOT, "bench/lib/row-server.mjs"), { args: [rowDb.path] });
  const receiver = await startReceiver(
    {
      SPONGE_DATABASE_URL: db.url,
      SPONGE_TOKENS: `write:${TOKEN}`,
      SPONGE_DATABASE_SYNCHRONOUS: synchronous,
    },
    profile ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] } : {},
  );
  await load(echo.url, "/echo", (n) => releaseBody(n, "warm"), 2);
  await load(rows.url, "/rows", (n) => releaseBody(n, "warm"), 2);
  await load(receiver.url, "/api/releases", (n) => releaseBody(n, "warm"), 2);

  // Back-to-back pairs, so that other load on the machine hits both sides of each ratio alike.
  const rounds = [];
  let acknowledged = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const echoResult = await measured(echo, () => load(echo.url, "/echo", (n) => releaseBody(n)));
    const rowResult = await measured(rows, () =>
      load(rows.url, "/rows", (n) => releaseBody(n, `run${round}`)),
    );
    const receiverResult = await measured(receiver, () =>
      load(receiver.url, "/api/releases", (n) => releaseBody(n, `run${round}`)),
    );
    acknowledged += receiverResult.ok;
    const ratio = receiverResult.requests_per_second / echoResult.requests_per_second;
    const rowRatio = rowResult.requests_per_second / echoResult.requests_per_second;
    rounds.push({
      echo: echoResult,
      rows: rowResult,
      receiver: receiverResult,
      ratio: Math.round(ratio * 1000) / 1000,
      rowRatio: Math.round(rowRatio * 1000) / 1000,
    });
    console.log(
      `round ${round}: echo ${echoResult.requests_per_second} req/s, one row ${rowResult.requests_per_second} req/s ` +
        `(p99 ${rowResult.p99_ms} ms, ratio ${rounds.at(-1).rowRatio}), receiver ${receiverResult.requests_per_second} ` +
        `req/s (p50 ${receiverResult.p50_ms} ms, p99 ${receiverResult.p99_ms} ms), ratio ${rounds.at(-1).ratio}`,
    );
  }
  const rssBytes = receiver.rss();
  const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1]);
  const commits = metric("sponge_write_batch_size_count");
  const meanBatch = metric("sponge_write_batch_size_sum") / commits;
  // Batches run one at a time: their work plus their COMMIT bounds the write rate.
  const workMs = (metric("sponge_write_batch_work_seconds_sum") / commits) * 1000;
  const commitMs = (metric("sponge_write_commit_seconds_sum") / commits) * 1000;
  await echo.stop();
  await rows.stop();
  rmSync(rowDb.dir, { recursive: true, force: true });
  if (profile) await receiver.stop();
  else await receiver.kill();

  // Every release the receiver acknowledged (2xx) must be on disk after SIGKILL. (autocannon does not hand
  // out response bodies, so this counts; test/crash.test.ts checks release by release.)
  const check = new Database(db.path);
  const stored = check.prepare("SELECT count(*) AS n FROM releases WHERE key LIKE 'run%'").get().n;
  const integrity = check.prepare("PRAGMA integrity_check").get().integrity_check;
  check.close();
  rmSync(db.dir, { recursive: true, force: true });

  // The round with the median ratio stands for the run.
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
  const result = {
    at: new Date().toISOString(),
    machine: machine(),
    load_average: loadavg().map((x) => Math.round(x * 100) / 100),
    seconds: SECONDS,
    connections: CONNECTIONS,
    synchronous,
    echo: median.echo,
    // The same requests, each stored as one row with group commit (FULL): durability's own cost.
    one_row: { ...median.rows, ratio: median.rowRatio },
    receiver: {
      ...median.receiver,
      rss_mb: Math.round(rssBytes / 2 ** 20),
      commits,
      mean_writes_per_commit: Math.round(meanBatch * 10) / 10,
      mean_batch_work_ms: Math.round(workMs * 100) / 100,
      mean_batch_commit_ms: Math.round(commitMs * 100) / 100,
      write_cycle_ceiling_rps: Math.round((meanBatch / (workMs + commitMs)) * 1000),
    },
    ratio: median.ratio,
    rounds: rounds.map((r) => ({
      echo_rps: r.echo.requests_per_second,
      receiver_rps: r.receiver.requests_per_second,
      receiver_p99_ms: r.receiver.p99_ms,
      ratio: r.ratio,
      one_row_rps: r.rows.requests_per_second,
      one_row_p99_ms: r.rows.p99_ms,
      one_row_ratio: r.rowRatio,
    })),
    durable: { acknowledged, stored, integrity },
    goals: {
      ratio: { goal: `>= ${GOALS.ratio}`, met: median.ratio >= GOALS.ratio },
      p99: { goal: `<= ${GOALS.p99Ms} ms`, met: median.receiver.p99_ms <= GOALS.p99Ms },
      durable: { goal: "stored >= acknowledged", met: stored >= acknowledged && integrity === "ok" },
    },
  };
  writeFileSync(
    join(RESULTS, `ingest-${synchronous.toLowerCase()}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
  if (!result.goals.durable.met) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
