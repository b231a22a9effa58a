import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./harness.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const WEBHOOKS = {
  githubSecret: "fuzz-github-secret",
  gitlabToken: "fuzz-gitlab-token",
  jenkinsToken: "fuzz-jenkins-token",
  cdeventsToken: "fuzz-cdevents-token",
};

/** A recorded payload per route, with the headers its provider sends (credentials added per request). */
const CASES: Array<{ path: string; file: string; headers: Record<string, string> }> = [
  {
    path: "/webhooks/github",
    file: "github/deployment.created.github-pages.json",
    headers: { "x-github-event": "deployment" },
  },
  {
    path: "/webhooks/github",
    file: "github/deployment_status.created.success.json",
    headers: { "x-github-event": "deployment_status" },
  },
  {
    path: "/webhooks/github",
    file: "github/workflow_run.completed.json",
    headers: { "x-github-event": "workflow_run" },
  },
  {
    path: "/webhooks/gitlab",
    file: "gitlab/deployment.success.json",
    headers: { "x-gitlab-event": "Deployment Hook" },
  },
  {
    path: "/webhooks/gitlab",
    file: "gitlab/pipeline.success.json",
    headers: { "x-gitlab-event": "Pipeline Hook" },
  },
  { path: "/webhooks/jenkins", file: "jenkins/completed.constructed.json", headers: {} },
  { path: "/webhooks/cdevents", file: "cdevents/service.deployed.json", headers: {} },
  { path: "/webhooks/cdevents", file: "cdevents/pipelinerun.finished.json", headers: {} },
];
const payloads = CASES.map((c) => JSON.parse(readFileSync(`${FIXTURES}${c.file}`, "utf8")) as unknown);

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (typeof value === "object" && value !== null) {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  }
  return [prefix];
}

/** A copy of `document` with the value at `path` replaced. */
function replaced(document: unknown, path: (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(document))
    return document.map((item, index) => (index === head ? replaced(item, rest, value) : item));
  if (typeof document === "object" && document !== null) {
    return Object.fromEntries(
      Object.entries(document).map(([key, item]) => [key, key === head ? replaced(item, rest, value) : item]),
    );
  }
  return document;
}

const credentials = (path: string, body: string): Record<string, string> => {
  switch (path) {
    case "/webhooks/github":
      return {
        "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOKS.githubSecret).update(body).digest("hex")}`,
      };
    case "/webhooks/gitlab":
      return { "x-gitlab-token": WEBHOOKS.gitlabToken };
    case "/webhooks/jenkins":
      return { authorization: `Basic ${Buffer.from(`jenkins:${WEBHOOKS.jenkinsToken}`).toString("base64")}` };
    default:
      return { authorization: `Bearer ${WEBHOOKS.cdeventsToken}` };
  }
};

let h: Harness;
beforeAll(async () => {
  h = await harness({ config: { webhooks: WEBHOOKS } });
});
afterAll(async () => {
  await h.close();
});

describe("recorded payloads with arbitrary values swapped in", () => {
  it("never get a 5xx from any webhook route", async () => {
    const edits = fc.array(
      fc.tuple(fc.nat(), fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.constant(null))),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), edits, async (which, changes) => {
        const index = which % CASES.length;
        const route = CASES[index];
        if (route === undefined) throw new Error("no case");
        let document = payloads[index];
        for (const [at, value] of changes) {
          const all = paths(document);
          const path = all[at % all.length] ?? [];
          document = replaced(document, path, value);
        }
        const body = JSON.stringify(document) ?? "null";
        const res = await h.app.request(route.path, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", ...route.headers, ...credentials(route.path, body) },
        });
        expect(res.status, `${route.file}: ${body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.status).not.toBe(401);
      }),
      { numRuns: 400 },
    );
  });
});
