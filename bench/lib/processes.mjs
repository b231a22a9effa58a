import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SERVER_ENTRY = join(ROOT, "receiver/dist/server.js");
export const ECHO_ENTRY = fileURLToPath(new URL("./echo-server.mjs", import.meta.url));

/** A fresh temp directory holding a database path. */
export function tempDatabase(prefix = "sponge-bench-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "sponge.db");
  return { dir, path, url: `file:${path}` };
}

/**
 * Spawns `entry` with node and resolves once it prints "listening on http://host:port".
 * `startMs` is the time from spawn to that line.
 */
export async function startProcess(entry, { env = {}, nodeArgs = [], args = [], timeoutMs = 60_000 } = {}) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npx tsc -b" first`);
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${output}`));
    });
  });
  const startMs = performance.now() - spawnedAt;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    startMs,
    output: () => output,
    /** Resident memory in bytes, from /proc. */
    pid: child.pid,
    rss: () => rssOf(child.pid),
    /** CPU time (user + system) used so far, in milliseconds, from /proc. */
    cpuMs: () => cpuMsOf(child.pid),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
}

export function startReceiver(env, options = {}) {
  return startProcess(SERVER_ENTRY, { ...options, env });
}

export function startEcho(options = {}) {
  return startProcess(ECHO_ENTRY, options);
}

export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export function cpuMsOf(pid) {
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks; the name (field 2) may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The machine the numbers come from. */
export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  return { cpu: model, nproc: availableParallelism(), node: process.version };
}
