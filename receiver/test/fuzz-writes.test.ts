import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness, json } from "./harness.js";

let h: Harness;
let releaseId: string;

beforeAll(async () => {
  h = await harness();
  const res = await h.request("/api/releases", { method: "POST", json: { packages: ["api@1"] } });
  releaseId = ((await json(res)) as { id: string }).id;
});
afterAll(async () => {
  await h.close();
});

/** Every write route, with a path that exists so that bodies reach validation and the store. */
const routes = (): [string, string][] => [
  ["POST", "/api/releases"],
  ["PATCH", `/api/releases/${releaseId}`],
  ["POST", `/api/releases/${releaseId}/finish`],
  ["POST", `/api/releases/${releaseId}/packages`],
  ["PATCH", `/api/releases/${releaseId}/packages/api`],
  ["POST", `/api/releases/${releaseId}/hosts`],
  ["POST", `/api/releases/${releaseId}/logs`],
  ["POST", "/api/tokens"],
  ["POST", "/release"],
  ["POST", `/release/${releaseId}/packages`],
  ["POST", "/results"],
];

const fieldNames = fc.constantFrom(
  "status",
  "notes",
  "packages",
  "hosts",
  "commits",
  "started_at",
  "finished_at",
  "key",
  "environment",
  "ci",
  "metadata",
  "name",
  "version",
  "release_id",
  "host",
  "success",
  "scope",
  "__proto__",
  "constructor",
);
/** JSON shaped like our bodies (known field names, odd values) as well as anything at all. */
const body = fc.oneof(
  fc.json(),
  fc.dictionary(fieldNames, fc.jsonValue(), { maxKeys: 6 }).map((value) => JSON.stringify(value)),
  fc
    .array(fc.dictionary(fieldNames, fc.jsonValue(), { maxKeys: 4 }), { maxLength: 3 })
    .map((v) => JSON.stringify(v)),
  fc.string(),
);
const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "",
  "image/png",
);

describe("arbitrary bodies on every write route", () => {
  it("never get a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 10 }), body, contentType, async (index, text, type) => {
        const [method, path] = routes()[index % routes().length] as [string, string];
        const headers: Record<string, string> = { authorization: "Bearer test-admin-token-0001" };
        if (type) headers["content-type"] = type;
        const res = await h.app.request(path, { method, body: text, headers });
        expect(res.status, `${method} ${path} ${type} ${text.slice(0, 200)}`).toBeLessThan(500);
        const reply = await res.text();
        if (res.status >= 400) expect(JSON.parse(reply).error.message).toEqual(expect.any(String));
      }),
      { numRuns: 600 },
    );
  });
});
