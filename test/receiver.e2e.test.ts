import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ReceiverProcess, startReceiver, tempDatabase } from "./support/receiver-process.js";

const TOKEN = "e2e-write-token-123";
const db = tempDatabase();
const running: ReceiverProcess[] = [];
const dirs = [db.dir];

afterAll(async () => {
  await Promise.all(running.map((receiver) => receiver.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A database path in a temp directory of its own, removed after the tests. */
function freshDatabase(): ReturnType<typeof tempDatabase> {
  const fresh = tempDatabase();
  dirs.push(fresh.dir);
  return fresh;
}

/**
 * Starts the receiver expecting it to stop at start-up: resolves to what it printed, after checking that
 * it exited 1 with one line and no stack trace.
 */
async function failedStart(env: Record<string, string>): Promise<string> {
  const error = await startReceiver({ SPONGE_DATABASE_URL: freshDatabase().url, ...env }).then(
    (receiver) => {
      running.push(receiver);
      throw new Error(`the receiver started:\n${receiver.output()}`);
    },
    (reason: unknown) => (reason instanceof Error ? reason.message : String(reason)),
  );
  const match = /^receiver exited with (\d+) before listening:\n([\s\S]*)$/.exec(error);
  expect(match, error).not.toBeNull();
  expect(match?.[1]).toBe("1");
  const output = match?.[2] ?? "";
  expect(output.trim().split("\n"), output).toHaveLength(1);
  expect(output).not.toMatch(/^\s+at /m);
  return output.trim();
}

async function start(env: Record<string, string> = {}): Promise<ReceiverProcess> {
  const receiver = await startReceiver({
    SPONGE_DATABASE_URL: db.url,
    SPONGE_TOKENS: `write:${TOKEN}`,
    ...env,
  });
  running.push(receiver);
  return receiver;
}

describe("the receiver process", () => {
  it("keeps what it acknowledged across a restart, and shuts down gracefully", async () => {
    const first = await start();
    const headers = { "content-type": "application/json", authorization: `Bearer ${TOKEN}` };
    const created = await fetch(`${first.url}/api/releases`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        key: "e2e-1",
        packages: ["api@1.2.3"],
        environment: "staging",
        notes: "from e2e",
      }),
    });
    expect(created.status).toBe(201);
    const release = (await created.json()) as { id: string };
    const finished = await fetch(`${first.url}/api/releases/${release.id}/finish`, {
      method: "POST",
      headers,
    });
    expect(finished.status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain("stopped");
    expect(first.output()).not.toContain(TOKEN);

    const second = await start();
    const read = await fetch(`${second.url}/api/releases/${release.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: release.id,
      status: "succeeded",
      environment: "staging",
      notes: ["from e2e"],
      packages: [{ name: "api", version: "1.2.3", status: "succeeded" }],
    });
    const again = await fetch(`${second.url}/api/releases`, {
      method: "POST",
      headers,
      body: JSON.stringify({ key: "e2e-1" }),
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(release.id);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it("refuses to start on a bad setting, naming the variable", async () => {
    await expect(start({ SPONGE_RELEASE_TIMEOUT: "soon" })).rejects.toThrow(
      /SPONGE_RELEASE_TIMEOUT: expected a duration/,
    );
    await expect(start({ PORT: "http" })).rejects.toThrow(/PORT: expected a port number/);
    await expect(start({ SPONGE_DELIVERY_RETENTION: "forever" })).rejects.toThrow(
      /SPONGE_DELIVERY_RETENTION: expected a duration such as 30d or 12h \(0 keeps every delivery\)/,
    );
  });

  it("names the setting, in one line, when it cannot listen", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      expect(await failedStart({ PORT: String(port) })).toBe(
        `[sponge] cannot listen on 127.0.0.1:${port}: address already in use (PORT/HOST)`,
      );
    } finally {
      taken.close();
    }
    expect(await failedStart({ HOST: "999.1.1.1", SPONGE_TOKENS: `write:${TOKEN}` })).toMatch(
      /^\[sponge\] cannot listen on 999\.1\.1\.1:0: .+ \(HOST\)$/,
    );
  });

  it("refuses values it cannot use, naming the variable", async () => {
    expect(await failedStart({ SPONGE_GITHUB_OIDC_ISSUER: "not a url" })).toBe(
      '[sponge] invalid environment: SPONGE_GITHUB_OIDC_ISSUER: expected a URL such as https://token.actions.githubusercontent.com, got "not a url"',
    );
    expect(await failedStart({ SPONGE_DATABASE_URL: "ftp://user:secret@x/db" })).toBe(
      "[sponge] invalid environment: SPONGE_DATABASE_URL: expected a file path, a file: URL, or a libsql://, " +
        "https://, http://, wss://, ws:// URL, got a ftp: URL",
    );
    expect(await failedStart({ SPONGE_MAX_BODY_BYTES: "99999999999999999999999" })).toBe(
      "[sponge] invalid environment: SPONGE_MAX_BODY_BYTES: expected a positive whole number up to 1073741824 " +
        '(1 GiB), got "99999999999999999999999"',
    );
  });

  it("names the database file and what is wrong with it", async () => {
    const { dir, path } = freshDatabase();
    writeFileSync(path, "not a database\n");
    expect(await failedStart({ SPONGE_DATABASE_URL: path })).toBe(
      `[sponge] cannot use the database ${path}: it is not a SQLite database (file is not a database) (SPONGE_DATABASE_URL)`,
    );
    const folder = join(dir, "folder.db");
    mkdirSync(folder);
    expect(await failedStart({ SPONGE_DATABASE_URL: `file:${folder}` })).toBe(
      `[sponge] cannot use the database ${folder}: it is a directory (SPONGE_DATABASE_URL)`,
    );
    const nested = join(path, "sponge.db");
    expect(await failedStart({ SPONGE_DATABASE_URL: nested })).toBe(
      `[sponge] cannot create the directory of the database ${nested}: part of the path is a file, not a directory (SPONGE_DATABASE_URL)`,
    );
  });

  it("says how long expired releases waited, as a duration", async () => {
    const fresh = freshDatabase();
    const first = await startReceiver({ SPONGE_DATABASE_URL: fresh.url });
    running.push(first);
    const created = await fetch(`${first.url}/api/releases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ packages: ["api@1.0.0"], status: "running" }),
    });
    expect(created.status).toBe(201);
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await startReceiver({ SPONGE_DATABASE_URL: fresh.url, SPONGE_RELEASE_TIMEOUT: "1s" });
    running.push(second);
    expect(second.output()).toContain("[sponge] expired 1 release(s) still queued or running after 1 s\n");
    await second.stop();
  });

  it("accepts short tokens, like the ones in SPONGE_TOKENS's example, with a warning that never shows them", async () => {
    const short = await startReceiver({
      SPONGE_DATABASE_URL: tempDatabase().url,
      SPONGE_TOKENS: "write:s3cret,read:pub1ic",
    });
    running.push(short);
    expect(short.output()).toContain("warning: SPONGE_TOKENS entry 1 (write) is 6 characters long");
    expect(short.output()).toContain("warning: SPONGE_TOKENS entry 2 (read) is 6 characters long");
    expect(short.output()).not.toMatch(/s3cret|pub1ic/);
    const res = await fetch(`${short.url}/api/releases`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
    });
    expect(res.status).toBe(201);
    await short.stop();
    await expect(start({ SPONGE_TOKENS: "write:" })).rejects.toThrow(
      /SPONGE_TOKENS: SPONGE_TOKENS entry 1: expected "scope:token"/,
    );
  });

  it("refuses to listen beyond loopback with no credential configured", async () => {
    await expect(startReceiver({ SPONGE_DATABASE_URL: db.url, HOST: "0.0.0.0" })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0 with no credential configured: set SPONGE_TOKENS/,
    );
  });

  it("says at start-up that writes are open to loopback when nothing is configured", async () => {
    const open = await startReceiver({ SPONGE_DATABASE_URL: tempDatabase().url });
    running.push(open);
    expect(open.output()).toContain("writes are open to requests from this machine (loopback) only");
    const res = await fetch(`${open.url}/api/releases`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    await open.stop();
  });
});
