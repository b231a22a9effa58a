import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildListQuery, type ReleaseFilter } from "../src/store/release-reads.js";
import { DEPLOYMENTS_FROM, REDEPLOYMENTS_FROM } from "../src/store/release-rows.js";
import { type Harness, harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await harness();
  // A little data and fresh statistics, so the planner chooses as it would on a real database.
  for (let i = 0; i < 50; i++) {
    await h.request("/api/releases", {
      method: "POST",
      json: {
        packages: [`svc-${i % 7}@${i}`],
        environment: i % 2 ? "production" : "staging",
        team: `t${i % 3}`,
        references: `PAY-${i}`,
      },
    });
  }
  await h.store.reader.exec("ANALYZE");
});
afterAll(async () => {
  await h.close();
});

async function plan(sql: string, params: readonly unknown[]): Promise<string> {
  const rows = await h.store.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params as never[]);
  return rows.map((row) => row.detail).join("\n");
}

/**
 * A plan that reads the whole history: a table scan without an index, or a sort that is not bounded by an
 * indexed equality search (sorting the few releases of one reference or host is fine; sorting every
 * release is not).
 */
function scansHistory(text: string): boolean {
  const unindexedScan = /SCAN (r|d|releases|release_packages|release_tags)(?! USING (COVERING )?INDEX)/.test(
    text,
  );
  const boundedSearch = /SEARCH d USING COVERING INDEX \w+ \(\w+=\?/.test(text);
  return unindexedScan || (/TEMP B-TREE FOR ORDER BY/.test(text) && !boundedSearch);
}

const cursor = { startedAt: "2026-01-01T00:00:00.000Z", id: "0" };
const filters: Partial<ReleaseFilter>[] = [
  {},
  { cursor },
  { package: "svc-1" },
  { package: "svc-1", environment: "production", cursor },
  { environment: "production" },
  { status: "running" },
  { status: "running", environment: "production" },
  { team: "t1" },
  { person: "ann" },
  { reference: "PAY-1" },
  { host: "web-1", team: "t1" },
  { platform: "k8s" },
  { since: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z" },
];

describe("history queries use an index for every filter", () => {
  for (const filter of filters) {
    it(JSON.stringify(filter), async () => {
      const query = buildListQuery({ limit: 50, ...filter });
      const text = await plan(query.sql, query.params);
      expect(scansHistory(text), text).toBe(false);
      // With an equality filter, the query must search an index for it, not walk the history in time order.
      const equality = Object.keys(filter).some((key) => !["cursor", "since", "until"].includes(key));
      if (equality) expect(text, text).not.toMatch(/SCAN (r|d)\b/);
    });
  }

  it("a write finds the deployments that followed it with one index search, without sorting", async () => {
    const from = "2026-01-01T00:00:00Z";
    for (const [sql, params] of [
      [DEPLOYMENTS_FROM, ["svc-1", "production", from, 1, 100]],
      [REDEPLOYMENTS_FROM, ["svc-1", "production", "8", from, 1, 100]],
    ] as const) {
      const text = await plan(sql, params);
      expect(text).toMatch(/SEARCH release_packages USING (COVERING )?INDEX/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("the current version is one primary-key lookup", async () => {
    const text = await plan(
      "SELECT c.version FROM current_versions c JOIN releases r ON r.seq = c.release_seq WHERE c.package = ? AND c.environment = ?",
      ["svc-1", "production"],
    );
    expect(text).toMatch(/SEARCH c USING PRIMARY KEY/);
    expect(scansHistory(text), text).toBe(false);
  });
});
