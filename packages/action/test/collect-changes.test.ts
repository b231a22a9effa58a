import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCodeownersTeams } from "../src/codeowners-teams.js";
import { collectChanges } from "../src/collect-changes.js";
import type { EventFacts } from "../src/event-payload.js";
import { githubCompare } from "../src/github-compare.js";

const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);

/** GitHub's compare answer, trimmed to the fields GitHub documents and the action reads. */
const compareBody = {
  status: "ahead",
  ahead_by: 2,
  total_commits: 2,
  commits: [
    {
      sha: "c".repeat(40),
      commit: {
        message: "PAY-7 add refunds\n\nlong body",
        author: { name: "Jane Doe", email: "jane@acme.io", date: "2024-05-01T10:00:00Z" },
      },
      author: { login: "jdoe" },
    },
    {
      sha: HEAD,
      commit: {
        message: "fix typo",
        author: { name: "Sam", email: "sam@acme.io", date: "2024-05-02T10:00:00Z" },
      },
      author: null,
    },
  ],
  files: [
    { filename: "payments/refund.ts", status: "added" },
    { filename: "web/app.ts", previous_filename: "web/main.ts", status: "renamed" },
  ],
};

/** A local stand-in for api.github.com: a real HTTP peer, answering like GitHub does. */
let server: Server;
let apiUrl = "";
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    if (req.headers.authorization !== "token gh-token") {
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
      return;
    }
    if (req.url === `/repos/acme/api/compare/${BASE}...${HEAD}`) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(compareBody));
      return;
    }
    if (req.url?.startsWith("/repos/acme/slow/")) return; // never answers
    res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const event: EventFacts = {
  headSha: undefined,
  headRef: undefined,
  prNumber: undefined,
  prTitle: undefined,
  pusher: "jdoe",
  deploymentEnvironment: undefined,
  commits: [{ sha: HEAD, message: "from the event" }],
  changedFiles: ["README.md"],
};

function compare(repo = "api", token = "gh-token", timeoutMs = 5_000) {
  return githubCompare({ token, owner: "acme", repo, apiUrl, timeoutMs });
}

describe("collectChanges", () => {
  it("lists the commits and files since the previous deployment through GitHub's compare API", async () => {
    const warnings: string[] = [];
    const changes = await collectChanges({
      previousCommit: BASE,
      head: HEAD,
      compare: compare(),
      event,
      warn: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([]);
    expect(changes).toEqual({
      source: "compare",
      commits: [
        {
          sha: "c".repeat(40),
          message: "PAY-7 add refunds\n\nlong body",
          author: "jdoe",
          timestamp: "2024-05-01T10:00:00Z",
        },
        { sha: HEAD, message: "fix typo", author: "Sam", timestamp: "2024-05-02T10:00:00Z" },
      ],
      changedFiles: ["payments/refund.ts", "web/app.ts", "web/main.ts"],
    });
  });

  it("uses the event's commits on a first deployment, without a warning", async () => {
    const warnings: string[] = [];
    const changes = await collectChanges({
      previousCommit: undefined,
      head: HEAD,
      compare: compare(),
      event,
      warn: (m) => warnings.push(m),
    });
    expect(changes).toEqual({ commits: event.commits, changedFiles: event.changedFiles, source: "event" });
    expect(warnings).toEqual([]);
  });

  it("ships nothing new when the same commit is deployed again (short sha included)", async () => {
    const changes = await collectChanges({
      previousCommit: HEAD.slice(0, 7),
      head: HEAD,
      compare: compare(),
      event,
      warn: () => {},
    });
    expect(changes).toEqual({ commits: [], changedFiles: [], source: "none" });
  });

  it.each([
    ["GitHub refuses the token", () => compare("api", "wrong-token"), "Bad credentials"],
    ["the repository is unknown", () => compare("missing"), "Not Found"],
    ["GitHub does not answer in time", () => compare("slow", "gh-token", 300), "abort"],
  ])("falls back to the event's commits with a warning when %s", async (_name, makeCompare, reason) => {
    const warnings: string[] = [];
    const changes = await collectChanges({
      previousCommit: BASE,
      head: HEAD,
      compare: makeCompare(),
      event,
      warn: (message) => warnings.push(message),
    });
    expect(changes.source).toBe("event");
    expect(changes.commits).toEqual(event.commits);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`could not compare ${BASE.slice(0, 12)}...${HEAD.slice(0, 12)}`);
    expect(warnings[0]?.toLowerCase()).toContain(reason.toLowerCase());
  });

  it("warns when there is no token to compare with", async () => {
    const warnings: string[] = [];
    const changes = await collectChanges({
      previousCommit: BASE,
      head: HEAD,
      compare: undefined,
      event,
      warn: (m) => warnings.push(m),
    });
    expect(changes.source).toBe("event");
    expect(warnings).toEqual([
      "github-token is empty: using the event's commits instead of comparing with the previous deployment",
    ]);
  });
});

describe("readCodeownersTeams", () => {
  const files = ["payments/refund.ts", "payments/api.ts", "web/app.ts", "README.md"];

  function checkout(layout: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "sponge-codeowners-"));
    for (const [path, text] of Object.entries(layout)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it("orders owners by how many changed files they own", async () => {
    const dir = checkout({
      ".github/CODEOWNERS": "* @acme/everyone\npayments/ @acme/payments\n/web/ @acme/web-team @jane\n",
    });
    try {
      expect(await readCodeownersTeams(dir, files)).toEqual([
        "@acme/payments",
        "@acme/web-team",
        "@jane",
        "@acme/everyone",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the first of .github/, the root and docs/, as GitHub does", async () => {
    const dir = checkout({ CODEOWNERS: "* @acme/root", "docs/CODEOWNERS": "* @acme/docs" });
    try {
      expect(await readCodeownersTeams(dir, files)).toEqual(["@acme/root"]);
      rmSync(join(dir, "CODEOWNERS"));
      expect(await readCodeownersTeams(dir, files)).toEqual(["@acme/docs"]);
      rmSync(join(dir, "docs/CODEOWNERS"));
      expect(await readCodeownersTeams(dir, files)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has nothing to say without changed files", async () => {
    const dir = checkout({ CODEOWNERS: "* @acme/root" });
    try {
      expect(await readCodeownersTeams(dir, [])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
