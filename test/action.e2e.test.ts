import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ReceiverProcess, ROOT, startReceiver, tempDatabase } from "./support/receiver-process.js";

/*
 * The committed action bundle (dist/action/*.js), run the way a runner runs it — `node main.js`,
 * later `node post.js`, inputs as INPUT_* variables, outputs/state/summary through the runner's
 * files, a real event payload — against the real receiver process, and a local HTTP server
 * standing in for GitHub's API (compare, OIDC token service and key set).
 */

const MAIN = join(ROOT, "dist/action/main.js");
const POST = join(ROOT, "dist/action/post.js");
const PUSH_EVENT = join(ROOT, "../shared/fixtures/github/push.json");
const WRITE_TOKEN = `e2e-${randomBytes(12).toString("hex")}`;
const GITHUB_TOKEN = "ghs_e2e_compare_token";
const REPOSITORY = "Codertocat/Hello-World";
const FIRST_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const SECOND_SHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

/** One job's runner files: state and summary live across main and post, outputs per step. */
interface Job {
  dir: string;
  workspace: string;
  env: Record<string, string>;
}

let receiver: ReceiverProcess | undefined;
let github: Server | undefined;
let githubUrl = "";
let dir = "";
const githubRequests: { url: string; authorization: string | undefined }[] = [];
let tokenRequests = 0;

const release = z.looseObject({
  id: z.string(),
  key: z.string().nullable(),
  status: z.string(),
  environment: z.string(),
  person: z.string().nullable(),
  team: z.string().nullable(),
  source: z.string(),
  repository: z.string().nullable(),
  commit: z.string().nullable(),
  url: z.string().nullable(),
  references: z.array(z.string()),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  lead_time_ms: z.number().nullable(),
  ci: z.looseObject({}).nullable(),
  packages: z.array(
    z.looseObject({
      name: z.string(),
      version: z.string().nullable(),
      previous_version: z.string().nullable(),
    }),
  ),
  commits: z.array(z.looseObject({ sha: z.string() })),
});

/** GitHub's compare answer for FIRST_SHA...SECOND_SHA (fields as GitHub documents them). */
const compareBody = {
  status: "ahead",
  ahead_by: 2,
  total_commits: 2,
  commits: [
    {
      sha: "1111111111111111111111111111111111111111",
      commit: {
        message: "Add refunds (#12)\n\nPAY-7",
        author: { name: "Jane Doe", email: "jane@example.com", date: "2024-05-01T10:00:00Z" },
      },
      author: { login: "jdoe" },
    },
    {
      sha: SECOND_SHA,
      commit: {
        message: "Fix typo",
        author: { name: "Codertocat", email: "c@example.com", date: "2024-05-02T10:00:00Z" },
      },
      author: { login: "Codertocat" },
    },
  ],
  files: [
    { filename: "payments/refund.ts", status: "added" },
    { filename: "payments/api.ts", status: "modified" },
    { filename: "README.md", status: "modified" },
  ],
};

let signingKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let jwk: Record<string, unknown> = {};

/** GitHub's side: the compare API, the Actions OIDC token service and the issuer's key set. */
async function startGithub(): Promise<void> {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "e2e", alg: "RS256", use: "sig" };
  github = createServer((req: IncomingMessage, res: ServerResponse) => {
    githubRequests.push({ url: req.url ?? "", authorization: req.headers.authorization });
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/.well-known/jwks") return json(200, { keys: [jwk] });
    if (req.url?.startsWith("/oidc/token?")) {
      if (req.headers.authorization !== "Bearer runtime-request-token") return json(401, { message: "no" });
      tokenRequests++;
      const audience = new URL(req.url, githubUrl).searchParams.get("audience") ?? "";
      void idToken(audience).then((value) => json(200, { count: 1, value }));
      return;
    }
    if (req.headers.authorization !== `token ${GITHUB_TOKEN}`)
      return json(401, { message: "Bad credentials" });
    if (req.url === `/repos/${REPOSITORY}/compare/${FIRST_SHA}...${SECOND_SHA}`)
      return json(200, compareBody);
    return json(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => github?.listen(0, "127.0.0.1", resolve));
  githubUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
}

/** An Actions ID token as GitHub issues them (claims trimmed to what the receiver checks). */
function idToken(audience: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    repository: REPOSITORY,
    repository_id: "1296269",
    repository_owner: "Codertocat",
    repository_owner_id: "21031067",
    ref: "refs/heads/master",
    sha: FIRST_SHA,
  })
    .setProtectedHeader({ alg: "RS256", kid: "e2e", typ: "JWT" })
    .setIssuer(githubUrl)
    .setAudience(audience)
    .setSubject(`repo:${REPOSITORY}:ref:refs/heads/master`)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + 300)
    .sign(signingKey);
}

function newJob(overrides: Record<string, string> = {}): Job {
  const jobDir = mkdtempSync(join(dir, "job-"));
  const workspace = join(jobDir, "workspace");
  mkdirSync(join(workspace, ".github"), { recursive: true });
  writeFileSync(join(workspace, ".github/CODEOWNERS"), "* @Codertocat\n/payments/ @acme/payments-team\n");
  for (const file of ["state", "summary"]) writeFileSync(join(jobDir, file), "");
  return {
    dir: jobDir,
    workspace,
    env: {
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_SHA: FIRST_SHA,
      GITHUB_REF: "refs/heads/master",
      GITHUB_EVENT_NAME: "push",
      GITHUB_EVENT_PATH: PUSH_EVENT,
      GITHUB_RUN_ID: String(1000 + Math.floor(Math.random() * 1_000_000)),
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_JOB: "deploy",
      GITHUB_WORKFLOW: "Deploy",
      GITHUB_ACTOR: "Codertocat",
      GITHUB_TRIGGERING_ACTOR: "Codertocat",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: githubUrl,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STATE: join(jobDir, "state"),
      GITHUB_STEP_SUMMARY: join(jobDir, "summary"),
      INPUT_URL: receiver?.url ?? "",
      INPUT_ENVIRONMENT: "production",
      INPUT_TOKEN: WRITE_TOKEN,
      "INPUT_GITHUB-TOKEN": GITHUB_TOKEN,
      "INPUT_OIDC-AUDIENCE": "sponge",
      "INPUT_FAIL-ON-ERROR": "false",
      "INPUT_JOB-STATUS": "success",
      INPUT_MODE: "track",
      ...overrides,
    },
  };
}

/** The runner's file-command format: `name<<delimiter\nvalue\ndelimiter` (or `name=value`). */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter] = heredoc;
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1] !== delimiter) body.push(lines[++i] ?? "");
      i++;
      values[name] = body.join("\n");
    } else if (line.includes("=")) {
      values[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return values;
}

/** Runs one step of the bundle with only the runner's variables (nothing leaks in from this process). */
function step(script: string, job: Job, extra: Record<string, string> = {}): Promise<Run> {
  const output = join(job.dir, `output-${randomBytes(4).toString("hex")}`);
  writeFileSync(output, "");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: job.workspace,
      env: { PATH: process.env.PATH ?? "", ...job.env, GITHUB_OUTPUT: output, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout,
        stderr,
        ms: performance.now() - started,
        outputs: parseFileCommands(readFileSync(output, "utf8")),
        state: parseFileCommands(readFileSync(job.env.GITHUB_STATE ?? "", "utf8")),
        summary: readFileSync(job.env.GITHUB_STEP_SUMMARY ?? "", "utf8"),
      }),
    );
  });
}

/** What the runner does between main and post: the GITHUB_STATE file becomes STATE_* variables. */
function stateVariables(run: Run): Record<string, string> {
  return Object.fromEntries(Object.entries(run.state).map(([name, value]) => [`STATE_${name}`, value]));
}

async function getRelease(id: string): Promise<z.output<typeof release>> {
  const response = await fetch(`${receiver?.url}/api/releases/${id}`, {
    headers: { authorization: `Bearer ${WRITE_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return release.parse(await response.json());
}

/** A tiny real server that answers every request with `handler`, counting them. */
async function fakeReceiver(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function warnings(run: Run): string[] {
  return run.stdout.split("\n").filter((line) => line.startsWith("::warning::"));
}

beforeAll(async () => {
  for (const file of [MAIN, POST]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:action\``);
  }
  if (!existsSync(PUSH_EVENT)) throw new Error(`${PUSH_EVENT} is missing (shared fixtures)`);
  dir = mkdtempSync(join(tmpdir(), "sponge-action-e2e-"));
  await startGithub();
  const database = tempDatabase();
  receiver = await startReceiver({
    SPONGE_DATABASE_URL: database.url,
    SPONGE_TOKENS: `write:${WRITE_TOKEN}`,
    SPONGE_GITHUB_OIDC_ISSUER: githubUrl,
    SPONGE_GITHUB_OIDC_AUDIENCE: "sponge",
    SPONGE_GITHUB_OIDC_ALLOW: "codertocat/*",
  });
});

afterAll(async () => {
  await receiver?.stop();
  github?.closeAllConnections();
  await new Promise<void>((resolve) => (github ? github.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the action against a real receiver", () => {
  it("tracks a first deployment: main starts it, post finishes it as succeeded", async () => {
    const job = newJob({ INPUT_PACKAGE: "hello-web", INPUT_VERSION: "1.0.0", INPUT_REFERENCES: "OPS-1" });
    const main = await step(MAIN, job);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(warnings(main)).toEqual([]);
    const id = main.outputs["release-id"] ?? "";
    expect(id).not.toBe("");
    expect(main.outputs).toEqual({
      "release-id": id,
      "release-url": `${receiver?.url}/releases/${id}`,
      version: "1.0.0",
      "previous-version": "",
    });
    expect(main.state.release_id).toBe(id);
    // The token is masked before anything else is printed and never printed otherwise.
    expect(main.stdout.startsWith(`::add-mask::${WRITE_TOKEN}\n`)).toBe(true);
    expect(main.stdout.split(WRITE_TOKEN)).toHaveLength(2);

    const running = await getRelease(id);
    expect(running).toMatchObject({
      status: "running",
      source: "github-action",
      environment: "production",
      repository: REPOSITORY,
      commit: FIRST_SHA,
      key: `github-action:${REPOSITORY}:${job.env.GITHUB_RUN_ID}:1:deploy:hello-web:production`,
      url: `https://github.com/${REPOSITORY}/actions/runs/${job.env.GITHUB_RUN_ID}`,
    });
    expect(running.commits.map((commit) => commit.sha)).toEqual([FIRST_SHA]);
    expect(running.ci).toMatchObject({
      provider: "github",
      event: "push",
      branch: "master",
      changed_files: ["README.md"],
    });
    // A first deployment has no previous commit: GitHub's compare API is not needed.
    expect(githubRequests.filter((request) => request.url.includes("/compare/"))).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const post = await step(POST, job, stateVariables(main));
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(warnings(post)).toEqual([]);
    const finished = await getRelease(id);
    expect(finished.status).toBe("succeeded");
    expect(finished.person).toBe("Codertocat");
    expect(finished.references).toContain("OPS-1");
    expect(finished.duration_ms).toBeGreaterThan(0);
    expect(finished.finished_at).not.toBeNull();
    expect(post.summary).toContain(`<a href="${receiver?.url}/releases/${id}">${id}</a>`);
    expect(post.summary).toContain("hello-web@1.0.0 to production — succeeded");
  });

  it("lists the commits since that deployment through GitHub's compare API, with team, references and lead time", async () => {
    const job = newJob({
      INPUT_PACKAGE: "hello-web",
      INPUT_VERSION: "1.1.0",
      GITHUB_SHA: SECOND_SHA,
      GITHUB_TRIGGERING_ACTOR: "jdoe",
    });
    const main = await step(MAIN, job);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(warnings(main)).toEqual([]);
    expect(main.outputs.version).toBe("1.1.0");
    expect(main.outputs["previous-version"]).toBe("1.0.0");
    expect(githubRequests).toContainEqual({
      url: `/repos/${REPOSITORY}/compare/${FIRST_SHA}...${SECOND_SHA}`,
      authorization: `token ${GITHUB_TOKEN}`,
    });

    const post = await step(POST, job, stateVariables(main));
    expect(post.code, post.stdout + post.stderr).toBe(0);
    const id = main.outputs["release-id"] ?? "";
    const finished = await getRelease(id);
    expect(finished.status).toBe("succeeded");
    expect(finished.person).toBe("jdoe");
    expect(finished.team).toBe("payments-team");
    expect(finished.references).toContain(`${REPOSITORY}#12`);
    expect(finished.commits.map((commit) => commit.sha)).toEqual([compareBody.commits[0]?.sha, SECOND_SHA]);
    expect(finished.ci).toMatchObject({
      commits_source: "compare",
      previous_commit: FIRST_SHA,
      changed_files: ["payments/refund.ts", "payments/api.ts", "README.md"],
      codeowners_teams: ["@acme/payments-team", "@Codertocat"],
    });
    expect(finished.lead_time_ms).toBeGreaterThan(0);
    expect(finished.packages[0]).toMatchObject({
      name: "hello-web",
      version: "1.1.0",
      previous_version: "1.0.0",
    });
    expect(post.summary).toContain("Lead time");
    expect(post.summary).toContain("<h3>Commits (2)</h3>");
    expect(post.summary).toContain("Add refunds (#12)");
  });

  it("finishes a job that failed as failed, and one that was cancelled as cancelled", async () => {
    for (const [jobStatus, status] of [
      ["failure", "failed"],
      ["cancelled", "cancelled"],
    ] as const) {
      const job = newJob({ INPUT_PACKAGE: `status-${jobStatus}`, INPUT_VERSION: "2.0.0" });
      const main = await step(MAIN, job);
      expect(main.code, main.stdout).toBe(0);
      const post = await step(POST, job, { ...stateVariables(main), "INPUT_JOB-STATUS": jobStatus });
      expect(post.code, post.stdout).toBe(0);
      expect((await getRelease(main.outputs["release-id"] ?? "")).status).toBe(status);
    }
  });

  it("lands a repeated main step on the same release (idempotency key)", async () => {
    const job = newJob({ INPUT_PACKAGE: "repeat-me", INPUT_VERSION: "3.0.0" });
    const first = await step(MAIN, job);
    const second = await step(MAIN, job);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.outputs["release-id"]).toBe(first.outputs["release-id"]);
    const response = await fetch(`${receiver?.url}/api/releases?package=repeat-me`);
    const page = z.object({ releases: z.array(release) }).parse(await response.json());
    expect(page.releases).toHaveLength(1);
  });

  it("records a deployment in one shot with mode: record", async () => {
    const job = newJob({
      INPUT_PACKAGE: "one-shot",
      INPUT_VERSION: "4.0.0",
      INPUT_MODE: "record",
      INPUT_HOSTS: "web-1\nweb-2",
    });
    const main = await step(MAIN, job);
    expect(main.code, main.stdout).toBe(0);
    expect(main.state).toEqual({});
    const recorded = await getRelease(main.outputs["release-id"] ?? "");
    expect(recorded.status).toBe("succeeded");
    expect(recorded.finished_at).not.toBeNull();
    expect(main.summary).toContain("one-shot@4.0.0 to production — succeeded");
    // Nothing left for post to do.
    const post = await step(POST, job, stateVariables(main));
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain("::");
  });

  it("starts and finishes in separate steps with mode: start and mode: finish", async () => {
    const job = newJob({ INPUT_PACKAGE: "split", INPUT_VERSION: "5.0.0", INPUT_MODE: "start" });
    const start = await step(MAIN, job);
    expect(start.code, start.stdout).toBe(0);
    const id = start.outputs["release-id"] ?? "";
    expect((await getRelease(id)).status).toBe("running");
    const finish = await step(MAIN, job, {
      INPUT_MODE: "finish",
      "INPUT_RELEASE-ID": id,
      "INPUT_JOB-STATUS": "failure",
    });
    expect(finish.code, finish.stdout).toBe(0);
    expect((await getRelease(id)).status).toBe("failed");
    const missing = await step(MAIN, job, { INPUT_MODE: "finish" });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('::error::Sponge: mode "finish" needs the "release-id" input');
  });

  it("authenticates with GitHub OIDC when no token is given, with a fresh token in post", async () => {
    const job = newJob({
      INPUT_TOKEN: "",
      INPUT_PACKAGE: "oidc-web",
      INPUT_VERSION: "6.0.0",
      ACTIONS_ID_TOKEN_REQUEST_URL: `${githubUrl}/oidc/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runtime-request-token",
    });
    const before = tokenRequests;
    const main = await step(MAIN, job);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(warnings(main)).toEqual([]);
    const post = await step(POST, job, stateVariables(main));
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(warnings(post)).toEqual([]);
    expect(tokenRequests - before).toBe(2);
    const finished = await getRelease(main.outputs["release-id"] ?? "");
    expect(finished).toMatchObject({ status: "succeeded", repository: REPOSITORY });
  });

  it("fails a step without any credential, whatever fail-on-error says", async () => {
    const run = await step(MAIN, newJob({ INPUT_TOKEN: "", INPUT_PACKAGE: "no-cred" }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::Sponge: no credential for the receiver: set the "token" input');
  });
});

describe("bad inputs fail the step even with fail-on-error: false", () => {
  it.each([
    [
      "an unknown mode",
      { INPUT_MODE: "deploy" },
      'input "mode" expected one of track, start, finish, record',
    ],
    ["a bad packages line", { INPUT_PACKAGES: "api@1.0\nweb app@2" }, 'input "packages" line 2'],
    ["no environment on a push", { INPUT_ENVIRONMENT: "" }, 'input "environment" is required'],
    ["a job-status that is not one", { "INPUT_JOB-STATUS": "green" }, 'input "job-status"'],
  ])("%s", async (_name, overrides, message) => {
    const run = await step(MAIN, newJob(overrides));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::Sponge: ${message}`);
    expect(run.outputs).toEqual({});
  });
});

describe("a receiver in trouble never fails the deployment (fail-on-error: false)", () => {
  it("warns and exits 0 when the receiver is down", async () => {
    const down = await fakeReceiver((_req, res) => res.end());
    const url = down.url;
    await down.close();
    const run = await step(MAIN, newJob({ INPUT_URL: url, INPUT_RETRIES: "1" }));
    expect(run.code, run.stdout).toBe(0);
    expect(warnings(run)).toHaveLength(1);
    expect(warnings(run)[0]).toContain(`cannot reach the receiver at ${url}`);
    expect(warnings(run)[0]).toContain("ECONNREFUSED");
    expect(run.outputs).toEqual({});
    expect(run.state).toEqual({});
  });

  it("retries a receiver answering 500, then warns and exits 0", async () => {
    const broken = await fakeReceiver((_req, res) =>
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"error":{"code":"internal","message":"an unexpected error occurred"}}'),
    );
    try {
      const run = await step(MAIN, newJob({ INPUT_URL: broken.url, INPUT_RETRIES: "2" }));
      expect(run.code, run.stdout).toBe(0);
      expect(warnings(run)).toHaveLength(1);
      expect(warnings(run)[0]).toContain("an unexpected error occurred (after 3 attempts)");
      expect(broken.requests()).toBe(3);
    } finally {
      await broken.close();
    }
  });

  it("gives up on a slow receiver after timeout-seconds", async () => {
    const slow = await fakeReceiver(() => {});
    try {
      const run = await step(
        MAIN,
        newJob({ INPUT_URL: slow.url, "INPUT_TIMEOUT-SECONDS": "1", INPUT_RETRIES: "0" }),
      );
      expect(run.code, run.stdout).toBe(0);
      expect(warnings(run)[0]).toContain("within 1000 ms");
      expect(run.ms).toBeLessThan(8_000);
    } finally {
      await slow.close();
    }
  });

  it("warns in post too when the receiver went away after main", async () => {
    const job = newJob({ INPUT_PACKAGE: "post-outage", INPUT_VERSION: "7.0.0" });
    const main = await step(MAIN, job);
    expect(main.code).toBe(0);
    const down = await fakeReceiver((_req, res) => res.writeHead(503).end());
    try {
      const post = await step(POST, job, {
        ...stateVariables(main),
        INPUT_URL: down.url,
        INPUT_RETRIES: "0",
      });
      expect(post.code, post.stdout).toBe(0);
      expect(warnings(post)).toHaveLength(1);
      expect(warnings(post)[0]).toContain(
        "Sponge: finishing the release failed: the receiver answered HTTP 503",
      );
    } finally {
      await down.close();
    }
  });

  it("fails the step instead with fail-on-error: true", async () => {
    const broken = await fakeReceiver((_req, res) => res.writeHead(500).end());
    try {
      const run = await step(
        MAIN,
        newJob({ INPUT_URL: broken.url, INPUT_RETRIES: "0", "INPUT_FAIL-ON-ERROR": "true" }),
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "::error::Sponge: recording the deployment failed: the receiver answered HTTP 500",
      );
    } finally {
      await broken.close();
    }
  });
});
