import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReceiverProcess, ROOT, startReceiver, tempDatabase } from "./support/receiver-process.js";

/*
 * The built `sponge` CLI against the real receiver process on a temporary database.
 * Both must be built first (`npm run build`; `npm test` does it).
 */

const CLI = join(ROOT, "packages/client/dist/cli/main.js");
const ADMIN_TOKEN = "e2e-admin-0f3b9c2a7d41-never-printed";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let receiver: ReceiverProcess | undefined;
let url = "";
let dir = "";

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Runs `node packages/client/dist/cli/main.js …` with only the environment given (no CI variables leak in). */
function sponge(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", SPONGE_URL: url, SPONGE_TOKEN: ADMIN_TOKEN, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

async function api(path: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status, `GET ${path}`).toBe(200);
  return response.json();
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`the CLI is not built: ${CLI} is missing. Run \`npm run build\` first.`);
  const database = tempDatabase();
  dir = database.dir;
  receiver = await startReceiver({
    SPONGE_DATABASE_URL: database.url,
    SPONGE_TOKENS: `admin:${ADMIN_TOKEN}`,
  });
  url = receiver.url;
});

afterAll(async () => {
  await receiver?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("sponge CLI against the receiver", { timeout: 90_000 }, () => {
  it("records a release step by step and reads the current version", async () => {
    const started = await sponge([
      "release",
      "start",
      "--package",
      "e2e-api@1.0.0",
      "--environment",
      "production",
      "--reference",
      "PAY-1",
      "--commit",
      "9f2c1e0aa1b2c3d4e5f60718293a4b5c6d7e8f90",
    ]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9A-Za-z-]{20,}$/);

    const added = await sponge(["release", "add-package", id, "e2e-worker@2.0.0"]);
    expect(added).toEqual({ code: 0, stdout: `${id} e2e-worker@2.0.0\n`, stderr: "" });

    const env = { SPONGE_RELEASE_ID: id };
    const host = await sponge(
      ["release", "add-host", "--name", "web-1", "--status", "succeeded", "--package", "e2e-api"],
      env,
    );
    expect(host).toEqual({ code: 0, stdout: `${id} web-1 succeeded\n`, stderr: "" });

    const logged = await sponge(["release", "log"], env, "pulling image\nrolling out\n");
    expect(logged).toEqual({ code: 0, stdout: `${id} 2 lines\n`, stderr: "" });

    const finished = await sponge(["release", "finish"], env);
    expect(finished).toEqual({ code: 0, stdout: `${id} succeeded\n`, stderr: "" });

    const current = await sponge(["current", "e2e-api", "--environment", "production"]);
    expect(current).toEqual({ code: 0, stdout: "1.0.0\n", stderr: "" });

    const json = await sponge(["current", "e2e-api", "--environment", "production", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      package: "e2e-api",
      environment: "production",
      version: "1.0.0",
      release_id: id,
    });

    const release = await api(`/api/releases/${encodeURIComponent(id)}`);
    expect(release).toMatchObject({
      id,
      status: "succeeded",
      source: "cli",
      environment: "production",
      hosts: [expect.objectContaining({ name: "web-1", status: "succeeded" })],
    });
    const packages = field(release, "packages");
    expect(
      Array.isArray(packages) ? packages.map((p) => [field(p, "name"), field(p, "version")]) : packages,
    ).toEqual(
      expect.arrayContaining([
        ["e2e-api", "1.0.0"],
        ["e2e-worker", "2.0.0"],
      ]),
    );
    expect(field(release, "references")).toContain("PAY-1");
    const logs = JSON.stringify(await api(`/api/releases/${encodeURIComponent(id)}/logs`));
    expect(logs).toContain("pulling image");
    expect(logs).toContain("rolling out");
  });

  it("records a failed release in one step without changing the current version", async () => {
    const before = await sponge(["current", "e2e-api", "--environment", "production"]);
    const recorded = await sponge([
      "release",
      "record",
      "--package",
      "e2e-api@1.1.0",
      "--environment",
      "production",
      "--status",
      "FAILURE",
      "--json",
    ]);
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({ status: "failed", source: "cli" });
    const after = await sponge(["current", "e2e-api", "--environment", "production"]);
    expect(after.stdout).toBe(before.stdout);
  });

  it("is idempotent with --key", async () => {
    const args = [
      "release",
      "start",
      "--package",
      "e2e-keyed@1.0.0",
      "--environment",
      "staging",
      "--key",
      "e2e-key-1",
    ];
    const first = await sponge(args);
    const second = await sponge(args);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it("removes a package from an environment, answers a repeat the same, and then has no current version", async () => {
    const recorded = await sponge([
      "release",
      "record",
      "--package",
      "e2e-gone@3.0.0",
      "--environment",
      "production",
      "--status",
      "succeeded",
    ]);
    expect(recorded.code).toBe(0);
    const removed = await sponge(["remove", "e2e-gone", "--environment", "production"]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe("3.0.0\n");
    expect(removed.stderr).toMatch(
      /^removed e2e-gone 3\.0\.0 from production at \d{4}-\d\d-\d\dT[\d:.]+Z\n$/,
    );
    const again = await sponge(["remove", "e2e-gone", "--environment", "production", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      package: "e2e-gone",
      environment: "production",
      version: "3.0.0",
    });
    const current = await sponge(["current", "e2e-gone", "--environment", "production"]);
    expect(current.code).toBe(1);
    expect(current.stderr).toMatch(/was removed from "production" at .+ \(HTTP 404, not_found\)\n$/);
    const nothing = await sponge(["remove", "e2e-never-deployed", "--environment", "production"]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(
      /^sponge: a current version of "e2e-never-deployed" in "production" was not found/,
    );
  });

  it("exits 1 with the receiver's message for a package never deployed", async () => {
    const run = await sponge(["current", "e2e-never-deployed", "--environment", "production"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^sponge: .+\(HTTP 404, [a-z_]+\)\n$/);
  });

  it("exits 1 for an unknown release even when the log it was given is empty", async () => {
    const run = await sponge(["release", "log", "no-such-release", "-"], {}, "");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^sponge: release "no-such-release" was not found \(HTTP 404, not_found\)\n$/);
  });

  it("creates a token that works, and never prints the token it was given", async () => {
    const created = await sponge(["tokens", "create", "--scope", "write", "--name", "e2e"]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token.length).toBeGreaterThan(16);
    const write = await sponge(["release", "record", "--package", "e2e-token@1.0.0", "--environment", "qa"], {
      SPONGE_TOKEN: token,
    });
    expect(write.code).toBe(0);
    const refused = await sponge(["release", "start", "--package", "a@1", "--environment", "qa"], {
      SPONGE_TOKEN: "e2e-wrong-token-0000",
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("HTTP 401");
    for (const run of [created, write, refused]) {
      expect(run.stdout + run.stderr).not.toContain(ADMIN_TOKEN);
      expect(run.stdout + run.stderr).not.toContain("e2e-wrong-token-0000");
    }
  });

  it("exits 2 on a usage error without calling the receiver", async () => {
    const run = await sponge(["release", "finish", "--status", "banana"], { SPONGE_RELEASE_ID: "x" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--help");
  });

  it("exits 1 with a clear message when the receiver is down", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const run = await sponge(["release", "start", "--package", "a@1", "--environment", "qa"], {
      SPONGE_URL: down,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`sponge: cannot reach the receiver at ${down}/api/releases`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(ADMIN_TOKEN);
  });
});
