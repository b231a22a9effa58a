import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, type Peer, type Received, releaseJson, startPeer } from "./http-peer.js";
import { cli } from "./run-cli-helper.js";

const TOKEN = "spg_cli-test-token-never-printed";
const UUID = /^[0-9a-f-]{36}$/;

let peer: Peer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

/** A peer answering like the receiver: the release for writes and reads, with what was sent merged in. */
async function receiver(): Promise<Peer> {
  peer = await startPeer((request) => {
    const body: unknown =
      request.body && request.headers["content-type"]?.includes("json") ? JSON.parse(request.body) : {};
    const sent = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
    if (request.path.endsWith("/logs"))
      return { status: 201, body: { appended: request.body.split("\n").length } };
    if (request.path.endsWith("/finish")) return { status: 200, body: releaseJson({ id: "r1", ...sent }) };
    if (request.path.endsWith("/hosts")) {
      return { status: 201, body: releaseJson({ id: "r1", hosts: Array.isArray(body) ? body : [] }) };
    }
    if (request.path.startsWith("/api/packages/")) {
      if (request.path.includes("/nowhere/")) {
        return {
          status: 404,
          body: { error: { code: "not_found", message: "nowhere was never deployed to production" } },
        };
      }
      return {
        status: 200,
        body: {
          package: "api",
          environment: "production",
          version: "1.4.2",
          release_id: "r1",
          deployed_at: "2025-01-01T10:00:00.000Z",
          person: "jane",
          team: "web",
          commit: "9f2c1e0",
        },
      };
    }
    if (request.path === "/api/tokens") {
      return {
        status: 201,
        body: { id: "t1", name: "ci", scope: "write", token: "spg_new-token", created_at: "x" },
      };
    }
    return {
      status: request.method === "POST" && request.path === "/api/releases" ? 201 : 200,
      body: releaseJson({ id: "r1" }),
    };
  });
  return peer;
}

function only(p: Peer): Received {
  expect(p.received).toHaveLength(1);
  const [request] = p.received;
  if (request === undefined) throw new Error("no request");
  return request;
}

function json(request: Received): Record<string, unknown> {
  return JSON.parse(request.body);
}

describe("release start and record", () => {
  it("starts a release with what the flags and Jenkins say, and prints the id", async () => {
    const p = await receiver();
    const run = await cli(
      [
        "release",
        "start",
        "--package",
        "api@1.4.2",
        "--package=@acme/web@2.0.0-rc.1",
        "--environment",
        "production",
        "--reference",
        "PAY-12",
        "--reference",
        "https://tracker/1",
        "--notes",
        "hotfix",
        "--team",
        "payments",
      ],
      {
        env: {
          SPONGE_URL: p.url,
          SPONGE_TOKEN: TOKEN,
          JENKINS_URL: "https://ci.acme.io/",
          JOB_NAME: "deploy-api",
          BUILD_NUMBER: "77",
          BUILD_URL: "https://ci.acme.io/job/deploy-api/77/",
          GIT_COMMIT: "9f2c1e0aa1b2c3d4e5f60718293a4b5c6d7e8f90",
          GIT_BRANCH: "origin/main",
          BUILD_USER_ID: "jdoe",
        },
      },
    );
    expect(run).toEqual({ code: 0, stdout: "r1\n", stderr: "" });
    const request = only(p);
    expect(request).toMatchObject({ method: "POST", path: "/api/releases" });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers["user-agent"]).toMatch(/^sponge-cli\//);
    const body = json(request);
    expect(body).toMatchObject({
      source: "cli",
      environment: "production",
      packages: [
        { name: "api", version: "1.4.2" },
        { name: "@acme/web", version: "2.0.0-rc.1" },
      ],
      references: ["PAY-12", "https://tracker/1"],
      notes: ["hotfix"],
      team: "payments",
      commit: "9f2c1e0aa1b2c3d4e5f60718293a4b5c6d7e8f90",
      url: "https://ci.acme.io/job/deploy-api/77/",
      ci: { provider: "jenkins", job: "deploy-api", run_id: "77", actor: "jdoe", branch: "origin/main" },
    });
    expect(body.key).toMatch(UUID);
    expect(request.headers["idempotency-key"]).toBe(body.key);
    expect(body).not.toHaveProperty("person");
  });

  it("lets flags override what the CI says and passes --key through", async () => {
    const p = await receiver();
    await cli(
      [
        "release",
        "start",
        "--package",
        "api@1",
        "--environment",
        "qa",
        "--commit",
        "abc1234",
        "--key",
        "k-1",
      ],
      {
        env: {
          SPONGE_URL: p.url,
          GITHUB_ACTIONS: "true",
          GITHUB_SHA: "f".repeat(40),
          GITHUB_REPOSITORY: "acme/api",
        },
      },
    );
    expect(json(only(p))).toMatchObject({ commit: "abc1234", repository: "acme/api", key: "k-1" });
  });

  it("takes the environment from GitLab's CI_ENVIRONMENT_NAME when --environment is left out", async () => {
    const p = await receiver();
    const run = await cli(["release", "start", "--package", "api@1"], {
      env: {
        SPONGE_URL: p.url,
        GITLAB_CI: "true",
        CI_ENVIRONMENT_NAME: "review/feature-x",
        CI_PROJECT_PATH: "acme/api",
      },
    });
    expect(run.code).toBe(0);
    const body = json(only(p));
    expect(body).not.toHaveProperty("environment");
    expect(body).toMatchObject({
      repository: "acme/api",
      ci: { provider: "gitlab", environment: "review/feature-x" },
    });
  });

  it("prints the whole release with --json", async () => {
    const p = await receiver();
    const run = await cli(["release", "start", "--package", "api@1", "--environment", "p", "--json"], {
      env: { SPONGE_URL: p.url },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: "r1", status: "running", packages: [] });
  });

  it("records a finished release in one request, reading CI status words", async () => {
    const p = await receiver();
    const before = Date.now();
    const run = await cli(
      ["release", "record", "--package", "api@1", "--environment", "staging", "--status", "FAILURE"],
      { env: { SPONGE_URL: p.url } },
    );
    expect(run).toMatchObject({ code: 0, stdout: "r1\n" });
    const body = json(only(p));
    expect(body).toMatchObject({ status: "failed", environment: "staging", source: "cli" });
    expect(Date.parse(String(body.finished_at))).toBeGreaterThanOrEqual(before - 1000);
  });

  it("records as succeeded by default", async () => {
    const p = await receiver();
    await cli(["release", "record", "--package", "api@1", "--environment", "staging"], {
      env: { SPONGE_URL: p.url },
    });
    expect(json(only(p)).status).toBe("succeeded");
  });
});

describe("commands on an existing release", () => {
  it("finishes the release named by SPONGE_RELEASE_ID", async () => {
    const p = await receiver();
    const run = await cli(["release", "finish"], { env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" } });
    expect(run).toEqual({ code: 0, stdout: "r1 succeeded\n", stderr: "" });
    const request = only(p);
    expect(request.path).toBe("/api/releases/r1/finish");
    expect(json(request)).toEqual({ status: "succeeded" });
  });

  it("finishes the release named on the command line with a status", async () => {
    const p = await receiver();
    const run = await cli(["release", "finish", "r1", "--status", "aborted"], {
      env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "other" },
    });
    expect(run.stdout).toBe("r1 cancelled\n");
    expect(only(p).path).toBe("/api/releases/r1/finish");
  });

  it("adds a package, to SPONGE_RELEASE_ID or to the id given", async () => {
    const p = await receiver();
    await cli(["release", "add-package", "worker@3.1.0"], {
      env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" },
    });
    await cli(["release", "add-package", "r2", "@acme/ui@0.9.0"], {
      env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" },
    });
    expect(p.received.map((request) => [request.path, JSON.parse(request.body)])).toEqual([
      ["/api/releases/r1/packages", [{ name: "worker", version: "3.1.0" }]],
      ["/api/releases/r2/packages", [{ name: "@acme/ui", version: "0.9.0" }]],
    ]);
  });

  it("records a host's result", async () => {
    const p = await receiver();
    const run = await cli(
      [
        "release",
        "add-host",
        "--name",
        "web-1",
        "--status",
        "FAILURE",
        "--package",
        "api",
        "--message",
        "timed out",
      ],
      { env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" } },
    );
    expect(run).toEqual({ code: 0, stdout: "r1 web-1 failed\n", stderr: "" });
    const request = only(p);
    expect(request.path).toBe("/api/releases/r1/hosts");
    expect(json(request)).toEqual([
      { name: "web-1", status: "failed", package: "api", message: "timed out" },
    ]);
  });
});

describe("release log", () => {
  it("sends stdin as text lines", async () => {
    const p = await receiver();
    const run = await cli(["release", "log"], {
      env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" },
      stdin: "pulling\nstarting\nready\n",
    });
    expect(run).toEqual({ code: 0, stdout: "r1 3 lines\n", stderr: "" });
    const request = only(p);
    expect(request.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(request.body).toBe("pulling\nstarting\nready");
  });

  it("reads a file, or takes one argument as the id when it is not a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sponge-log-"));
    try {
      const file = join(dir, "deploy.log");
      await writeFile(file, "step 1\nstep 2\n");
      const p = await receiver();
      expect(
        (await cli(["release", "log", file], { env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" } })).code,
      ).toBe(0);
      expect((await cli(["release", "log", "r2", file], { env: { SPONGE_URL: p.url } })).code).toBe(0);
      expect(await cli(["release", "log", "r3"], { env: { SPONGE_URL: p.url }, stdin: "piped\n" })).toEqual({
        code: 0,
        stdout: "r3 1 line\n",
        stderr: "",
      });
      expect(
        (await cli(["release", "log", "r4", "-"], { env: { SPONGE_URL: p.url }, stdin: "dash\n" })).code,
      ).toBe(0);
      expect(p.received.map((request) => [request.path, request.body])).toEqual([
        ["/api/releases/r1/logs", "step 1\nstep 2"],
        ["/api/releases/r2/logs", "step 1\nstep 2"],
        ["/api/releases/r3/logs", "piped"],
        ["/api/releases/r4/logs", "dash"],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails on a missing file instead of sending an empty log", async () => {
    const p = await receiver();
    const run = await cli(["release", "log", "missing.log"], {
      env: { SPONGE_URL: p.url, SPONGE_RELEASE_ID: "r1" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot read log file missing.log: no such file");
    const named = await cli(["release", "log", "r1", "/no/such/dir/x.log"], { env: { SPONGE_URL: p.url } });
    expect(named.code).toBe(1);
    expect(p.received).toHaveLength(0);
  });
});

describe("current and tokens", () => {
  it("prints the version, or everything with --json", async () => {
    const p = await receiver();
    const plain = await cli(["current", "api", "--environment", "production"], {
      env: { SPONGE_URL: p.url },
    });
    expect(plain).toEqual({ code: 0, stdout: "1.4.2\n", stderr: "" });
    const full = await cli(["current", "@acme/api", "--json"], { env: { SPONGE_URL: p.url } });
    expect(JSON.parse(full.stdout)).toMatchObject({ version: "1.4.2", release_id: "r1", team: "web" });
    expect(p.received.map((request) => request.path)).toEqual([
      "/api/packages/api/current?environment=production",
      "/api/packages/%40acme%2Fapi/current",
    ]);
  });

  it("exits 1 with the receiver's message for a package never deployed", async () => {
    const p = await receiver();
    const run = await cli(["current", "nowhere"], { env: { SPONGE_URL: p.url } });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: "sponge: nowhere was never deployed to production (HTTP 404, not_found)\n",
    });
  });

  it("prints a new token once, on stdout", async () => {
    const p = await receiver();
    const run = await cli(["tokens", "create", "--scope", "write", "--name", "ci"], {
      env: { SPONGE_URL: p.url, SPONGE_TOKEN: TOKEN },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("spg_new-token\n");
    expect(run.stderr).toContain("not shown again");
    expect(json(only(p))).toEqual({ scope: "write", name: "ci" });
  });
});

describe("failures", () => {
  it("exits 1 with one clear line when the receiver is down", async () => {
    const url = await closedPort();
    const run = await cli(["release", "start", "--package", "api@1", "--environment", "p"], {
      env: { SPONGE_URL: url, SPONGE_TOKEN: TOKEN },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`sponge: cannot reach the receiver at ${url}/api/releases`);
    expect(run.stderr).toContain("Check SPONGE_URL");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(TOKEN);
  }, 15_000);

  it("never prints the token, even when the receiver repeats it", async () => {
    peer = await startPeer((_, index) =>
      index === 0
        ? { status: 401, body: { error: { code: "unauthorized", message: `unknown token ${TOKEN}` } } }
        : {
            status: 422,
            body: {
              error: {
                code: "invalid",
                message: "invalid release",
                details: [{ field: "notes", message: `do not put ${TOKEN} here` }],
              },
            },
          },
    );
    const env = { SPONGE_URL: peer.url, SPONGE_TOKEN: TOKEN };
    const refused = await cli(["release", "start", "--package", "a@1", "--environment", "p"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("sponge: unknown token [redacted] (HTTP 401, unauthorized)");
    expect(refused.stderr).toContain("SPONGE_TOKEN");
    const invalid = await cli(["release", "start", "--package", "a@1", "--environment", "p", "--json"], {
      env,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("notes: do not put [redacted] here");
    for (const text of [refused.stdout, refused.stderr, invalid.stdout, invalid.stderr])
      expect(text).not.toContain(TOKEN);
  });

  it("explains a missing scope", async () => {
    peer = await startPeer(() => ({
      status: 403,
      body: { error: { code: "forbidden", message: "needs admin scope" } },
    }));
    const run = await cli(["tokens", "create", "--scope", "read"], {
      env: { SPONGE_URL: peer.url, SPONGE_TOKEN: TOKEN },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "sponge: needs admin scope (HTTP 403, forbidden)\nSPONGE_TOKEN lacks the scope this needs (write to record, admin for tokens).\n",
    );
  });
});
