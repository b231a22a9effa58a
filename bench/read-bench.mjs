// Read benchmark.
//  1. Current-version latency at 10,000 releases and again at 1,000,000 releases, same packages and
//     environments, in process: the query alone (goal: ratio ≤ 1.5) and GET /api/packages/:name/current
//     as served through createApp.
//  2. Throughput of GET /badge/:package.svg and GET /api/packages/:name/current on the million-release
//     database, over HTTP with autocannon, as a ratio to a bare Hono route that sends the same bytes on
//     the same adapter, measured in the same run, round after round (goal: ≥ 0.7); also the server's
//     CPU time per request, which the machine's other load disturbs less.
//  3. DORA latency at a million releases (30-day and 365-day production windows), for the record.
// History is written straight into the tables in one transaction per batch (bench/lib/read-data.mjs).
//
//   node bench/read-bench.mjs                      (after `npx tsc -b`; `npm run bench` does both)
//   BENCH_RELEASES=200000 BENCH_SECONDS=3 BENCH_ROUNDS=2 node bench/read-bench.mjs   (a quicker run)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadReleases, newState, PACKAGES } from "./lib/read-data.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_RELEASES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const LATENCY_REQUESTS = 20_000;
const GOALS = { throughputRatio: 0.7, latencyRatio: 1.5 };

const { createApp, receiverConfig, Store } = await import("../receiver/dist/index.js");
const { currentVersion } = await import("../receiver/dist/store/release-reads.js");

const dir = mkdtempSync(join(tmpdir(), "sponge-read-bench-"));
const url = `file:${join(dir, "sponge.db")}`;
const results = {
  machine: { cpu: cpus()[0]?.model ?? "unknown", nproc: availableParallelism(), node: process.version },
  releases: { small: SMALL, large: LARGE },
};

try {
  const store = await Store.open({ url, synchronous: "NORMAL" });
  const config = receiverConfig({ auth: { tokens: [], webhookSecrets: false, publicRead: true } });
  const { app } = createApp({ store, config, logError: (message, error) => console.error(message, error) });
  const state = newState();

  let started = performance.now();
  await loadReleases(store, { from: 0, to: SMALL, total: LARGE, state });
  log(`loaded ${SMALL} releases in ${seconds(started)} s`);
  results.currentAtSmall = await measureLatency(app, store);

  started = performance.now();
  await loadReleases(store, {
    from: SMALL,
    to: LARGE,
    total: LARGE,
    state,
    onBatch: (n) => log(`  ${n} releases`),
  });
  results.loadSeconds = Number(seconds(started));
  log(`loaded ${LARGE - SMALL} more releases in ${results.loadSeconds} s`);
  results.currentAtLarge = await measureLatency(app, store);
  results.latencyRatio = round(
    results.currentAtLarge.query.medianMs / results.currentAtSmall.query.medianMs,
    2,
  );
  results.routeLatencyRatio = round(
    results.currentAtLarge.route.medianMs / results.currentAtSmall.route.medianMs,
    2,
  );

  results.dora = {};
  for (const days of [30, 365]) {
    const to = "2026-01-01T00:00:00.000Z";
    const from = new Date(Date.parse(to) - days * 86_400_000).toISOString();
    const path = `/api/metrics/dora?environment=production&from=${from}&to=${to}`;
    const times = [];
    let body;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const res = await app.request(path);
      body = await res.json();
      if (res.status !== 200) throw new Error(`DORA answered ${res.status}: ${JSON.stringify(body)}`);
      times.push(performance.now() - t);
    }
    results.dora[`${days}d`] = {
      medianMs: round(median(times), 1),
      releasesInWindow: body.change_failure_rate.finished,
    };
  }
  await store.close();

  // Both servers stay up and take turns, round after round, so that a change in the machine's load
  // (it may be shared) hits both sides of each ratio alike; the median round is reported.
  const bare = await startServer(["bare"]);
  const receiver = await startServer(["receiver", url]);
  const rounds = { bareSvg: [], badge: [], bareJson: [], current: [] };
  const targets = {
    bareSvg: [bare, () => "/bare/svg"],
    badge: [receiver, (i) => `/badge/${PACKAGES[i % PACKAGES.length]}.svg`],
    bareJson: [bare, () => "/bare/json"],
    current: [receiver, (i) => currentPath(i)],
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, [server, pathOf]] of Object.entries(targets)) {
        rounds[name].push(await throughput(server, pathOf));
      }
      log(
        `round ${round + 1}: ${Object.keys(rounds)
          .map((name) => `${name} ${rounds[name][round].requestsPerSecond}`)
          .join(", ")} req/s`,
      );
    }
  } finally {
    await bare.stop();
    await receiver.stop();
  }
  for (const name of Object.keys(rounds)) {
    results[name] = {
      requestsPerSecond: median(rounds[name].map((r) => r.requestsPerSecond)),
      p50Ms: median(rounds[name].map((r) => r.p50Ms)),
      p99Ms: median(rounds[name].map((r) => r.p99Ms)),
      rounds: rounds[name].map((r) => r.requestsPerSecond),
      cpuMicrosPerRequest: median(rounds[name].map((r) => r.cpuMicrosPerRequest)),
    };
  }
  for (const [name, twin] of [
    ["badge", "bareSvg"],
    ["current", "bareJson"],
  ]) {
    const ratios = rounds[name].map((r, i) => r.requestsPerSecond / rounds[twin][i].requestsPerSecond);
    results[name].ratio = round(median(ratios), 2);
    // The same comparison in CPU spent per request by the server's main thread: less sensitive to
    // whatever else the machine runs than requests per second.
    const cpuRatios = rounds[name].map((r, i) => rounds[twin][i].cpuMicrosPerRequest / r.cpuMicrosPerRequest);
    results[name].cpuRatio = round(median(cpuRatios), 2);
  }

  report(results);
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/read.json"), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function currentPath(i) {
  const environment = ["production", "staging", "prod-eu"][i % 3];
  return `/api/packages/${PACKAGES[(i * 7) % PACKAGES.length]}/current?environment=${environment}`;
}

/**
 * Sequential, in process, without the network: the query behind the route on its own (what grows with
 * the history, if anything does), and the route as served (which answers repeated reads from memory
 * between writes, see receiver/src/store/read-cache.ts).
 */
async function measureLatency(app, store) {
  const query = await sample(async (i) => {
    const environment = ["production", "staging", "prod-eu"][i % 3];
    const row = await currentVersion(store.reader, PACKAGES[(i * 7) % PACKAGES.length], environment);
    if (!row) throw new Error("no current version");
  });
  const route = await sample(async (i) => {
    const res = await app.request(currentPath(i));
    await res.text();
    if (res.status !== 200) throw new Error(`${currentPath(i)} answered ${res.status}`);
  });
  return { query, route };
}

async function sample(run) {
  for (let i = 0; i < 2_000; i++) await run(i);
  const times = new Float64Array(LATENCY_REQUESTS);
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    const t = performance.now();
    await run(i);
    times[i] = performance.now() - t;
  }
  times.sort();
  return {
    medianMs: round(times[Math.floor(LATENCY_REQUESTS / 2)], 4),
    p99Ms: round(times[Math.floor(LATENCY_REQUESTS * 0.99)], 4),
    meanMs: round(times.reduce((a, b) => a + b, 0) / LATENCY_REQUESTS, 4),
  };
}

/** CPU time (user + system) of a process's main thread so far, in milliseconds, from /proc. */
function mainThreadCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function throughput(server, pathOf) {
  const before = mainThreadCpuMs(server.pid);
  const result = await autocannonRun(server.url, pathOf);
  const cpuMs = mainThreadCpuMs(server.pid) - before;
  return { ...result, cpuMicrosPerRequest: round((cpuMs * 1000) / result.total, 1) };
}

function autocannonRun(base, pathOf) {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: pathOf(i++) }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx > 0 || result.errors > 0) {
          return reject(new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`));
        }
        resolve({
          total: result.requests.total,
          requestsPerSecond: round(result.requests.average, 0),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
        });
      },
    );
  });
}

async function startServer(args) {
  const child = spawn(process.execPath, [join(ROOT, "bench/lib/read-server.mjs"), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const port = await new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`read-server exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function report(r) {
  const pass = (ok) => (ok ? "ok" : "MISSED");
  console.log(`
Read benchmark (${r.machine.cpu}, ${r.machine.nproc} cores, Node ${r.machine.node})
  current version, in process (median / p99 ms)
    query alone                 ${SMALL} releases: ${r.currentAtSmall.query.medianMs} / ${r.currentAtSmall.query.p99Ms}; ${LARGE} releases: ${r.currentAtLarge.query.medianMs} / ${r.currentAtLarge.query.p99Ms}; ratio ${r.latencyRatio} (goal ≤ ${GOALS.latencyRatio}: ${pass(r.latencyRatio <= GOALS.latencyRatio)})
    GET /api/packages/:n/current ${SMALL} releases: ${r.currentAtSmall.route.medianMs} / ${r.currentAtSmall.route.p99Ms}; ${LARGE} releases: ${r.currentAtLarge.route.medianMs} / ${r.currentAtLarge.route.p99Ms}; ratio ${r.routeLatencyRatio}
  HTTP, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (median round):
    bare Hono route, same SVG   ${r.bareSvg.requestsPerSecond} req/s (p99 ${r.bareSvg.p99Ms} ms, ${r.bareSvg.cpuMicrosPerRequest} µs CPU each)
    badge SVG                   ${r.badge.requestsPerSecond} req/s (p99 ${r.badge.p99Ms} ms, ${r.badge.cpuMicrosPerRequest} µs CPU each), ratio ${r.badge.ratio} (goal ≥ ${GOALS.throughputRatio}: ${pass(r.badge.ratio >= GOALS.throughputRatio)}); CPU ratio ${r.badge.cpuRatio}
    bare Hono route, same JSON  ${r.bareJson.requestsPerSecond} req/s (p99 ${r.bareJson.p99Ms} ms, ${r.bareJson.cpuMicrosPerRequest} µs CPU each)
    current version             ${r.current.requestsPerSecond} req/s (p99 ${r.current.p99Ms} ms, ${r.current.cpuMicrosPerRequest} µs CPU each), ratio ${r.current.ratio} (goal ≥ ${GOALS.throughputRatio}: ${pass(r.current.ratio >= GOALS.throughputRatio)}); CPU ratio ${r.current.cpuRatio}
  DORA at ${LARGE} releases (production): 30 days ${r.dora["30d"].medianMs} ms (${r.dora["30d"].releasesInWindow} releases), 365 days ${r.dora["365d"].medianMs} ms (${r.dora["365d"].releasesInWindow} releases)
  loading ${LARGE - SMALL} releases took ${r.loadSeconds} s
`);
}

function log(message) {
  console.log(`[read-bench] ${message}`);
}

function seconds(since) {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
