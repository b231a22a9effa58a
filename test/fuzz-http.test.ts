import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { RELEASE_FIELDS } from "@sponge/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rssBytes } from "./support/ingest.js";
import { type ReceiverProcess, startReceiver, tempDatabase } from "./support/receiver-process.js";

const TOKENS = { write: "fuzz-write-token-1", read: "fuzz-read-token-1", admin: "fuzz-admin-token-1" };
const SECRETS = {
  github: "fuzz-github-secret",
  gitlab: "fuzz-gitlab-token",
  jenkins: "fuzz-jenkins-token",
  cdevents: "fuzz-cdevents-token",
};
const FIXTURES = join(import.meta.dirname, "../../shared/fixtures");
const MIB = 1024 * 1024;

const db = tempDatabase();
let receiver: ReceiverProcess;
let releaseId = "";
let baselineRss = 0;

beforeAll(async () => {
  receiver = await startReceiver({
    SPONGE_DATABASE_URL: db.url,
    SPONGE_TOKENS: `write:${TOKENS.write},read:${TOKENS.read},admin:${TOKENS.admin}`,
    SPONGE_GITHUB_WEBHOOK_SECRET: SECRETS.github,
    SPONGE_GITLAB_WEBHOOK_TOKEN: SECRETS.gitlab,
    SPONGE_JENKINS_TOKEN: SECRETS.jenkins,
    SPONGE_CDEVENTS_TOKEN: SECRETS.cdevents,
  });
  const res = await fetch(`${receiver.url}/api/releases`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKENS.write}` },
    body: JSON.stringify({
      packages: ["api@1.0.0", "@acme/web@2"],
      environment: "production",
      hosts: ["web-1"],
    }),
  });
  releaseId = ((await res.json()) as { id: string }).id;
  baselineRss = rssBytes(pid());
});

afterAll(async () => {
  await receiver?.kill();
  rmSync(db.dir, { recursive: true, force: true });
});

function pid(): number {
  const id = receiver.child.pid;
  if (id === undefined) throw new Error("the receiver has no pid");
  return id;
}

/** Every recorded delivery, to mutate: real payloads reach deeper than random JSON. */
const fixtures: Record<string, string[]> = Object.fromEntries(
  ["github", "gitlab", "jenkins", "cdevents"].map((provider) => [
    provider,
    readdirSync(join(FIXTURES, provider))
      .filter((name) => name.endsWith(".json"))
      .map((name) => readFileSync(join(FIXTURES, provider, name), "utf8")),
  ]),
);

/** Replaces one value somewhere in a JSON document (found by walking `path` choices) with `value`. */
function mutate(json: string, path: readonly number[], value: unknown): string {
  const root: unknown = JSON.parse(json);
  let node: unknown = root;
  for (const choice of path) {
    if (node === null || typeof node !== "object") break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[choice % keys.length] as string;
    const child = (node as Record<string, unknown>)[key];
    if (child === null || typeof child !== "object" || choice % 3 === 0) {
      (node as Record<string, unknown>)[key] = value;
      return JSON.stringify(root);
    }
    node = child;
  }
  return JSON.stringify(root);
}

const PATHS = () => [
  "/",
  "/healthz",
  "/readyz",
  "/metrics",
  "/docs",
  "/api/openapi.json",
  "/releases",
  `/releases/${releaseId}`,
  "/dora",
  "/api/releases",
  `/api/releases/${releaseId}`,
  `/api/releases/${releaseId}/finish`,
  `/api/releases/${releaseId}/packages`,
  `/api/releases/${releaseId}/packages/api`,
  `/api/releases/${releaseId}/packages/%40acme%2Fweb`,
  `/api/releases/${releaseId}/hosts`,
  `/api/releases/${releaseId}/logs`,
  "/api/releases/not-a-release/finish",
  "/api/packages",
  "/api/packages/api/current",
  "/api/environments",
  "/api/hosts/web-1",
  "/api/compare",
  "/api/metrics/dora",
  "/api/tokens",
  "/api/tokens/nope",
  "/api/deliveries",
  "/api/deliveries/1",
  "/api/deliveries/1/replay",
  "/badge/api.svg",
  "/badge/api.json",
  "/release",
  `/release/${releaseId}/packages`,
  "/results",
  "/webhooks/github",
  "/webhooks/gitlab",
  "/webhooks/jenkins",
  "/webhooks/cdevents",
];

const QUERY_KEYS = [
  "package",
  "environment",
  "status",
  "team",
  "person",
  "platform",
  "reference",
  "host",
  "since",
  "until",
  "from",
  "to",
  "limit",
  "cursor",
  "after",
  "tier",
  "interval",
  "label",
  "style",
  "token",
  "provider",
  "outcome",
];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "1e309",
    "9999999999999999999",
    "2026-13-45",
    "8640000000000001",
    "%",
    "null",
  ),
);
const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), text), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ""));

/** Field names the routes read: a release's, plus those of packages, hosts, logs, results and tokens. */
const FIELDS = [...RELEASE_FIELDS, "name", "message", "release_id", "host", "level", "ts", "scope"];
const shapedObject = fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 }), {
  maxKeys: 6,
});
/** A value nested `depth` arrays and objects deep: deep enough to overflow a recursive walk. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 60, max: 8000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects ? '{"a":'.repeat(depth) + "1" + "}".repeat(depth) : `${"[".repeat(depth)}${"]".repeat(depth)}`,
  );
const body = fc.oneof(
  fc.constant(""),
  fc
    .tuple(fc.constantFrom(...FIELDS, "unknown"), deeplyNested)
    .map(([field, value]) => `{"${field}":${value}}`),
  fc.json({ maxDepth: 4 }),
  shapedObject.map((value) => JSON.stringify(value)),
  fc.array(shapedObject, { maxLength: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("{", "[1,", '{"a":', "\u0000", "payload=%7B", "null", "1e999", '"\\ud800"'),
);
const contentType = fc.constantFrom(
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/cloudevents+json",
  "multipart/form-data; boundary=x",
  "application/xml",
  "garbage",
);
const authorization = fc.constantFrom(
  undefined,
  `Bearer ${TOKENS.write}`,
  `Bearer ${TOKENS.read}`,
  `Bearer ${TOKENS.admin}`,
  "Bearer wrong-token-000",
  "Bearer a.b.c",
  "Bearer eyJhbGciOiJub25lIn0.e30.",
  `Basic ${Buffer.from(`jenkins:${SECRETS.jenkins}`).toString("base64")}`,
  "Basic !!!",
  "Digest x",
  "",
);
const webhookHeaders = fc.record(
  {
    "x-hub-signature-256": fc.oneof(
      fc.constantFrom("", "sha256=", "sha1=abc", `sha256=${"0".repeat(64)}`),
      fc.string({ maxLength: 80 }),
    ),
    "x-github-event": fc.constantFrom("deployment", "deployment_status", "workflow_run", "push", "ping", "x"),
    "x-github-delivery": fc.string({ minLength: 1, maxLength: 40 }),
    "x-gitlab-token": fc.oneof(fc.constant(SECRETS.gitlab), fc.string({ maxLength: 40 })),
    "x-gitlab-event": fc.constantFrom("Deployment Hook", "Pipeline Hook", "Push Hook", "x"),
    "ce-specversion": fc.constantFrom("1.0", "0.3", ""),
    "ce-type": fc.constantFrom("dev.cdevents.service.deployed.0.2.0", "dev.cdevents.x", ""),
    "ce-id": fc.string({ maxLength: 20 }),
    "ce-source": fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);

/** Header values a fetch can send: visible ASCII, no line breaks. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "?");
}

async function send(method: string, path: string, init: { headers: Record<string, string>; body?: string }) {
  const res = await fetch(`${receiver.url}${path}`, {
    method,
    headers: init.headers,
    ...(init.body !== undefined && method !== "GET" ? { body: init.body } : {}),
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** Every answer below 500, and API errors in the one error shape. */
function check(method: string, path: string, answer: { status: number; type: string; body: string }) {
  expect(answer.status, `${method} ${path} -> ${answer.status} ${answer.body.slice(0, 300)}`).toBeLessThan(
    500,
  );
  const pathname = path.split("?")[0] ?? "";
  const api =
    /^\/(api|webhooks|release)\//.test(pathname) || pathname === "/release" || pathname === "/results";
  if (answer.status >= 400 && api) {
    expect(answer.type, `${method} ${path}`).toMatch(/json/);
    const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof parsed.error?.code, `${method} ${path} ${answer.body}`).toBe("string");
    expect(typeof parsed.error?.message).toBe("string");
  }
}

describe("bad input over HTTP against the receiver process", () => {
  it("never answers 5xx on any route, whatever the method, query, headers and body", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE"),
        query,
        body,
        contentType,
        authorization,
        webhookHeaders,
        async (which, method, search, payload, type, auth, extra) => {
          const paths = PATHS();
          const path = `${paths[which % paths.length]}${search}`;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(extra)) headers[name] = headerSafe(value);
          if (type !== undefined) headers["content-type"] = type;
          if (auth !== undefined) headers.authorization = auth;
          check(method, path, await send(method, path, { headers, body: payload }));
        },
      ),
      { numRuns: 1500 },
    );
    expect(receiver.child.exitCode).toBeNull();
  }, 180_000);

  it("never answers 5xx to authenticated webhooks with mutated real payloads or garbage", async () => {
    const provider = fc.constantFrom("github", "gitlab", "jenkins", "cdevents");
    await fc.assert(
      fc.asyncProperty(
        provider,
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.oneof(fc.constant(undefined), body),
        webhookHeaders,
        fc.boolean(),
        fc.option(deeplyNested, { freq: 8, nil: undefined }),
        async (name, fixture, where, value, garbage, extra, form, deep) => {
          const samples = fixtures[name] ?? [];
          const sample = samples[fixture % samples.length] ?? "{}";
          let payload = garbage ?? mutate(sample, where, value);
          // The deep value is spliced in as text: stringifying it would be the walk it is meant to test.
          if (deep !== undefined)
            payload = mutate(sample, where, "\u0000deep").replace('"\\u0000deep"', deep);
          const headers: Record<string, string> = {};
          for (const [header, headerValue] of Object.entries(extra))
            headers[header] = headerSafe(headerValue);
          headers["content-type"] = "application/json";
          if (name === "github") {
            if (form) {
              payload = `payload=${encodeURIComponent(payload)}`;
              headers["content-type"] = "application/x-www-form-urlencoded";
            }
            const digest = createHmac("sha256", SECRETS.github).update(payload).digest("hex");
            headers["x-hub-signature-256"] = `sha256=${digest}`;
          }
          if (name === "gitlab") headers["x-gitlab-token"] = SECRETS.gitlab;
          if (name === "jenkins") headers.authorization = `Bearer ${SECRETS.jenkins}`;
          if (name === "cdevents") {
            headers.authorization = `Bearer ${SECRETS.cdevents}`;
            if (form) headers["content-type"] = "application/cloudevents+json";
          }
          const path = `/webhooks/${name}`;
          const answer = await send("POST", path, { headers, body: payload });
          check("POST", path, answer);
          expect([200, 201, 202, 400, 401, 404, 409, 413, 415, 422]).toContain(answer.status);
        },
      ),
      { numRuns: 800 },
    );
    expect(receiver.child.exitCode).toBeNull();
  }, 180_000);

  it("refuses oversized bodies with a 413 the client receives, closes the connection, and buffers nothing", async () => {
    const write = { "content-type": "application/json", authorization: `Bearer ${TOKENS.write}` };
    const before = rssBytes(pid());
    // 200 MB chunked to a 1 MiB route, the 5 MiB log route and the 25 MiB webhook route.
    for (const [path, headers, limit] of [
      ["/api/releases", write, MIB],
      [`/api/releases/${releaseId}/logs`, write, 5 * MIB],
      [
        "/webhooks/github",
        {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": "big",
          "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
        },
        25 * MIB,
      ],
    ] as const) {
      const answer = await upload(path, headers, { chunked: true, total: 200 * MIB });
      expect(answer.statusLine, `${path}: ${answer.error ?? ""}`).toBe("HTTP/1.1 413 Payload Too Large");
      expect(answer.headers.connection).toBe("close");
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large" } });
      expect(answer.closedByServer).toBe(true);
      // The receiver stopped reading soon after the limit instead of taking all 200 MB.
      expect(answer.sent).toBeLessThan(limit + 80 * MIB);
    }
    // A Content-Length over the limit is refused from the headers alone, while the client is still sending:
    // repeated, because a connection closed under a sending client can lose the answer (a TCP reset).
    for (let i = 0; i < 3; i++) {
      const declared = await upload("/api/releases", write, {
        contentLength: 10 * 1024 * MIB,
        total: 4 * MIB,
      });
      expect(declared.statusLine, `attempt ${i}: ${declared.error ?? ""}`).toBe(
        "HTTP/1.1 413 Payload Too Large",
      );
      expect(JSON.parse(declared.body)).toMatchObject({ error: { code: "payload_too_large" } });
      expect(declared.headers.connection).toBe("close");
      expect(declared.closedByServer).toBe(true);
    }
    // Without credentials the body is never read: 401, and the upload is cut off.
    const anonymous = await upload(
      "/api/releases",
      { "content-type": "application/json" },
      { chunked: true, total: 200 * MIB },
    );
    expect(anonymous.statusLine).toBe("HTTP/1.1 401 Unauthorized");
    expect(anonymous.headers.connection).toBe("close");
    expect(anonymous.closedByServer).toBe(true);
    expect(anonymous.sent).toBeLessThan(100 * MIB);

    // RSS stayed flat: far less than the 800 MB offered (the webhook limit itself allows 25 MiB in memory).
    expect(rssBytes(pid()) - before).toBeLessThan(120 * MIB);
    expect((await fetch(`${receiver.url}/healthz`)).status).toBe(200);
  }, 180_000);

  it("stays up with bounded memory after all of it", async () => {
    expect(receiver.child.exitCode).toBeNull();
    const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
    const resident = Number(/^sponge_process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1]);
    expect(resident).toBeGreaterThan(0);
    expect(resident).toBeLessThan(400 * MIB);
    expect(rssBytes(pid())).toBeLessThan(baselineRss + 300 * MIB);
  });
});

interface UploadAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
  sent: number;
  closedByServer: boolean;
  error?: string;
}

/**
 * A client that keeps uploading (up to `total` bytes) while it reads the answer, as curl does: it sees a
 * response sent before the body was read, and whether the server closed the connection.
 */
function upload(
  path: string,
  headers: Record<string, string>,
  options: { chunked?: boolean; contentLength?: number; total: number },
): Promise<UploadAnswer> {
  return new Promise((resolve) => {
    const socket = connect(receiver.port, "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024, "a");
    const framed = options.chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
      : chunk;
    let sent = 0;
    let received = Buffer.alloc(0);
    let error: string | undefined;
    let finished = false;
    const lines = [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${receiver.port}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      options.chunked
        ? "Transfer-Encoding: chunked"
        : `Content-Length: ${options.contentLength ?? options.total}`,
    ];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy(new Error("no answer in 60 s"));
    }, 60_000);
    socket.on("data", (data: Buffer) => {
      received = Buffer.concat([received, data]);
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      finished = true;
      const raw = received.toString("utf8");
      const [head = "", ...rest] = raw.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(":");
        if (at > 0) parsed[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({
        statusLine,
        headers: parsed,
        body: rest.join("\r\n\r\n"),
        sent,
        // This client never closes the connection itself, short of giving up after 60 s.
        closedByServer: !timedOut,
        ...(error !== undefined ? { error } : {}),
      });
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    const pump = () => {
      while (!finished && !socket.destroyed && sent < options.total) {
        sent += chunk.length;
        if (!socket.write(framed)) {
          socket.once("drain", pump);
          return;
        }
      }
      // All offered: end the body and wait for the server's answer and close.
      if (!finished && !socket.destroyed && sent >= options.total) {
        if (options.chunked) socket.write("0\r\n\r\n");
      }
    };
    pump();
  });
}
