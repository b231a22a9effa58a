import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { type ReceiverProcess, startReceiver, tempDatabase } from "./support/receiver-process.js";

const TOKEN = "e2e-write-token-123";
const db = tempDatabase();
const running: ReceiverProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((receiver) => receiver.kill()));
  rmSync(db.dir, { recursive: true, force: true });
});

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
