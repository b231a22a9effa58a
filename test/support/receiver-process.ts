import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SERVER_ENTRY = join(ROOT, "receiver/dist/server.js");

export interface ReceiverProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
}

/** Temp directories made by this test file, removed after its last test (and its own hooks) ran. */
const tempDirectories: string[] = [];
afterAll(() => {
  for (const dir of tempDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp directory with a database path in it; removed when the test file is done. */
export function tempDatabase(): { dir: string; url: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "sponge-e2e-"));
  tempDirectories.push(dir);
  const path = join(dir, "sponge.db");
  return { dir, url: `file:${path}`, path };
}

/**
 * Starts the built receiver (`receiver/dist/server.js`, made by `tsc -b`, which `npm test` runs first) as a
 * real process on a free port and waits until it listens. Fails loudly when the build is missing.
 */
export async function startReceiver(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<ReceiverProcess> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npx tsc -b" first`);
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`receiver did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`receiver exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
