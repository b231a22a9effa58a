import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, SpongeError } from "../src/index.js";
import { closedPort, type Peer, releaseJson, startPeer } from "./http-peer.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = "sp0nge-T0KEN-d0-not-print";

let peer: Peer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function failure(promise: Promise<unknown>): Promise<SpongeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SpongeError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function bodyOf(index: number): Record<string, unknown> {
  const text = peer?.received[index]?.body;
  if (text === undefined) throw new Error(`no request ${index}`);
  return JSON.parse(text);
}

describe("retries and idempotency keys", () => {
  it("retries a 500 and sends the same generated key both times", async () => {
    peer = await startPeer((_, index) =>
      index === 0
        ? { status: 500, body: { error: { code: "internal", message: "database busy" } } }
        : { status: 201, body: releaseJson({ id: "r1" }) },
    );
    const client = createClient({ url: peer.url, retryDelayMs: 10 });
    const release = await client.createRelease({ environment: "production", packages: ["api@1.0.0"] });

    expect(release.id).toBe("r1");
    expect(peer.received).toHaveLength(2);
    const [first, second] = [bodyOf(0), bodyOf(1)];
    expect(first.key).toMatch(UUID);
    expect(second.key).toBe(first.key);
    expect(peer.received[0]?.headers["idempotency-key"]).toBe(first.key);
    expect(peer.received[1]?.headers["idempotency-key"]).toBe(first.key);
    expect(first.packages).toEqual(["api@1.0.0"]);
  });

  it("makes a new key for each logical call", async () => {
    peer = await startPeer(() => ({ status: 201, body: releaseJson() }));
    const client = createClient({ url: peer.url });
    await client.createRelease({});
    await client.createRelease({});
    expect(bodyOf(0).key).not.toBe(bodyOf(1).key);
  });

  it("uses the caller's key, from the body or the call options", async () => {
    peer = await startPeer((_, index) =>
      index % 2 === 0 ? { status: 503, body: "" } : { status: 200, body: releaseJson() },
    );
    const client = createClient({ url: peer.url, retryDelayMs: 1 });
    await client.createRelease({ key: "deploy-42" });
    await client.createRelease({}, { key: "deploy-43" });
    expect(peer.received.map((request) => request.headers["idempotency-key"])).toEqual([
      "deploy-42",
      "deploy-42",
      "deploy-43",
      "deploy-43",
    ]);
    expect([bodyOf(0).key, bodyOf(1).key, bodyOf(2).key, bodyOf(3).key]).toEqual([
      "deploy-42",
      "deploy-42",
      "deploy-43",
      "deploy-43",
    ]);
  });

  it("keeps the key of other creating writes across retries", async () => {
    peer = await startPeer((_, index) =>
      index === 0 ? { status: 502, body: "<html>bad gateway</html>" } : { status: 201, body: releaseJson() },
    );
    const client = createClient({ url: peer.url, retryDelayMs: 1 });
    await client.addPackages("r1", ["api@2.0.0"]);
    const keys = peer.received.map((request) => request.headers["idempotency-key"]);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);
  });

  it("retries 429 and waits as long as Retry-After asks", async () => {
    peer = await startPeer((_, index) =>
      index === 0
        ? {
            status: 429,
            headers: { "retry-after": "1" },
            body: { error: { code: "rate_limited", message: "slow down" } },
          }
        : { status: 200, body: releaseJson() },
    );
    const client = createClient({ url: peer.url, retryDelayMs: 1 });
    await client.getRelease("r1");
    const [first, second] = peer.received;
    expect(second).toBeDefined();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("gives up at once when Retry-After asks for longer than it will wait", async () => {
    peer = await startPeer(() => ({
      status: 503,
      headers: { "retry-after": "3600" },
      body: { error: { code: "maintenance", message: "back in an hour" } },
    }));
    const client = createClient({ url: peer.url, retryDelayMs: 1 });
    const error = await failure(client.getRelease("r1"));
    expect(peer.received).toHaveLength(1);
    expect(error.code).toBe("maintenance");
  });

  it("stops after the configured retries and reports the last answer", async () => {
    peer = await startPeer(() => ({
      status: 503,
      body: { error: { code: "unavailable", message: "read-only" } },
    }));
    const client = createClient({ url: peer.url, retries: 2, retryDelayMs: 1 });
    const error = await failure(client.finishRelease("r1", { status: "failed" }));
    expect(peer.received).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, code: "unavailable", transient: true });
    expect(error.message).toBe("read-only (after 3 attempts)");
  });

  it.each([400, 401, 403, 404, 409, 413, 415, 422])("never retries a %i", async (status) => {
    peer = await startPeer(() => ({
      status,
      body: {
        error: {
          code: "refused",
          message: `refused with ${status}`,
          details: [{ field: "status", message: "x" }],
        },
      },
    }));
    const client = createClient({ url: peer.url, retryDelayMs: 1 });
    const error = await failure(client.createRelease({}));
    expect(peer.received).toHaveLength(1);
    expect(error).toMatchObject({
      status,
      code: "refused",
      message: `refused with ${status}`,
      transient: false,
    });
    expect(error.details).toEqual([{ field: "status", message: "x" }]);
  });

  it("names an answer that is not the error envelope by its HTTP status", async () => {
    peer = await startPeer(() => ({ status: 502, body: "<html>Bad Gateway</html>" }));
    const client = createClient({ url: peer.url, retries: 0 });
    const error = await failure(client.getRelease("r1"));
    expect(error).toMatchObject({ status: 502, code: "http_502" });
    expect(error.message).toContain("HTTP 502");
  });
});

describe("timeouts and network errors", () => {
  it("abandons an attempt after timeoutMs and retries it", async () => {
    peer = await startPeer(() => ({ status: 201, body: releaseJson(), delayMs: 5_000 }));
    const client = createClient({ url: peer.url, timeoutMs: 150, retries: 1, retryDelayMs: 1 });
    const started = Date.now();
    const error = await failure(client.createRelease({ environment: "production" }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(peer.received).toHaveLength(2);
    expect(error).toMatchObject({ code: "timeout", status: undefined, transient: true });
    expect(error.message).toContain("within 150 ms");
    expect(bodyOf(1).key).toBe(bodyOf(0).key);
  });

  it("reports a receiver that is down with its address", async () => {
    const url = await closedPort();
    const client = createClient({ url, retries: 1, retryDelayMs: 1 });
    const error = await failure(client.createRelease({}));
    expect(error).toMatchObject({ code: "network_error", status: undefined, transient: true });
    expect(error.message).toContain(`cannot reach the receiver at ${url}/api/releases`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("after 2 attempts");
  });

  it("stops when the caller aborts, also while waiting to retry", async () => {
    peer = await startPeer(() => ({ status: 503, body: "" }));
    const client = createClient({ url: peer.url, retryDelayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(client.getRelease("r1", { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(peer.received).toHaveLength(1);
  });
});

describe("answers", () => {
  it("refuses a success that is not JSON or not a release", async () => {
    peer = await startPeer((_, index) =>
      index === 0 ? { status: 200, body: "<html>login</html>" } : { status: 200, body: { ok: true } },
    );
    const client = createClient({ url: peer.url });
    expect(await failure(client.getRelease("r1"))).toMatchObject({ code: "invalid_response" });
    expect(await failure(client.getRelease("r1"))).toMatchObject({ code: "invalid_response" });
  });

  it("reads a current version, encoding a scoped package name", async () => {
    const answer = {
      package: "@acme/api",
      environment: "prod-eu",
      version: "1.4.2",
      release_id: "r9",
      deployed_at: "2025-01-01T10:00:00.000Z",
      person: "Jane Doe",
      team: null,
      commit: "9f2c1e0",
    };
    peer = await startPeer(() => ({ status: 200, body: answer }));
    const client = createClient({ url: `${peer.url}/` });
    expect(await client.current("@acme/api", "prod-eu")).toEqual(answer);
    expect(peer.received[0]?.path).toBe("/api/packages/%40acme%2Fapi/current?environment=prod-eu");
    expect(peer.received[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it("lists releases with filters and a cursor", async () => {
    peer = await startPeer(() => ({ status: 200, body: { releases: [releaseJson()], next_cursor: "c2" } }));
    const client = createClient({ url: `${peer.url}/sponge` });
    const page = await client.listReleases({ package: "api", status: "running", limit: 5, team: undefined });
    expect(page.next_cursor).toBe("c2");
    expect(page.releases).toHaveLength(1);
    expect(peer.received[0]?.path).toBe("/sponge/api/releases?package=api&status=running&limit=5");
  });

  it("creates and lists tokens", async () => {
    peer = await startPeer((request) =>
      request.method === "POST"
        ? { status: 201, body: { id: "t1", scope: "write", name: "ci", token: "new-secret" } }
        : { status: 200, body: { tokens: [{ id: "t1", scope: "write", name: "ci" }] } },
    );
    const client = createClient({ url: peer.url, token: TOKEN });
    expect((await client.createToken({ scope: "write", name: "ci" })).token).toBe("new-secret");
    expect(await client.listTokens()).toEqual([{ id: "t1", scope: "write", name: "ci" }]);
    expect(bodyOf(0)).toEqual({ scope: "write", name: "ci" });
  });
});

describe("logs", () => {
  it("sends text lines as text/plain", async () => {
    peer = await startPeer(() => ({ status: 201, body: { appended: 2 } }));
    const client = createClient({ url: peer.url });
    expect(await client.appendLogs("r1", ["pulling image", "started"])).toEqual({ lines: 2, requests: 1 });
    expect(peer.received[0]?.path).toBe("/api/releases/r1/logs");
    expect(peer.received[0]?.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(peer.received[0]?.body).toBe("pulling image\nstarted");
  });

  it("splits a large upload at line ends, each part with its own stable key", async () => {
    peer = await startPeer((_, index) =>
      index === 1 ? { status: 500, body: "" } : { status: 201, body: {} },
    );
    const client = createClient({ url: peer.url, maxLogBytes: 64, retryDelayMs: 1 });
    const lines = Array.from({ length: 20 }, (_, n) => `line ${n} ${"é".repeat(n % 5)}`);
    const upload = await client.appendLogs("r1", `${lines.join("\n")}\n`, { key: "log-1" });
    const sent = peer.received.filter((_, index) => index !== 1);
    expect(upload).toEqual({ lines: 20, requests: sent.length });
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.map((request) => request.body).join("\n")).toBe(lines.join("\n"));
    for (const request of sent) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(64);
    expect(peer.received[1]?.headers["idempotency-key"]).toBe(peer.received[2]?.headers["idempotency-key"]);
    expect(sent.map((request) => request.headers["idempotency-key"])).toEqual(
      sent.map((_, index) => `log-1.${index + 1}`),
    );
  });

  it("sends structured entries as JSON", async () => {
    peer = await startPeer(() => ({ status: 201, body: {} }));
    const client = createClient({ url: peer.url });
    await client.appendLogs("r1", [{ level: "error", host: "web-1", message: "OOM" }]);
    expect(peer.received[0]?.headers["content-type"]).toBe("application/json");
    expect(bodyOf(0)).toEqual([{ level: "error", host: "web-1", message: "OOM" }]);
  });

  it("sends nothing for an empty log", async () => {
    peer = await startPeer(() => ({ status: 201, body: {} }));
    const client = createClient({ url: peer.url });
    expect(await client.appendLogs("r1", "\n")).toEqual({ lines: 0, requests: 0 });
    expect(peer.received).toHaveLength(0);
  });
});

describe("tokens stay secret", () => {
  it("sends the token as a bearer token and never shows it", async () => {
    peer = await startPeer(() => ({
      status: 401,
      body: {
        error: { code: "unauthorized", message: `token ${TOKEN} is unknown`, details: { token: TOKEN } },
      },
    }));
    const client = createClient({ url: peer.url, token: TOKEN });
    const error = await failure(client.createRelease({}));
    expect(peer.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(error.message).toBe("token [redacted] is unknown");
    for (const text of [
      String(error),
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      inspect(client),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it("keeps the token out of network errors", async () => {
    const client = createClient({ url: await closedPort(), token: TOKEN, retries: 0 });
    const error = await failure(client.getRelease("r1"));
    expect(inspect(error, { depth: 8 })).not.toContain(TOKEN);
  });

  it("refuses credentials in the URL without repeating them", () => {
    const attempt = () => createClient({ url: "https://deploy:hunter2@sponge.example.com" });
    expect(attempt).toThrow(SpongeError);
    expect(attempt).toThrow(/must not contain credentials/);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("options", () => {
  it.each([
    [{ url: "not a url" }, "invalid_url"],
    [{ url: "ftp://sponge.example.com" }, "invalid_url"],
    [{ url: "http://127.0.0.1", timeoutMs: 0 }, "invalid_option"],
    [{ url: "http://127.0.0.1", retries: -1 }, "invalid_option"],
    [{ url: "http://127.0.0.1", retries: 1.5 }, "invalid_option"],
  ])("refuses %j", (options, code) => {
    expect(() => createClient(options)).toThrow(expect.objectContaining({ code }));
  });

  it("sends its user agent and no body on reads", async () => {
    peer = await startPeer(() => ({ status: 200, body: releaseJson() }));
    await createClient({ url: peer.url, userAgent: "deployer/2" }).getRelease("a/b");
    expect(peer.received[0]).toMatchObject({ method: "GET", path: "/api/releases/a%2Fb", body: "" });
    expect(peer.received[0]?.headers["user-agent"]).toBe("deployer/2");
    expect(peer.received[0]?.headers.authorization).toBeUndefined();
  });
});
