import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql, SqlValue } from "../src/store/database.js";
import { doraFacts } from "../src/store/dora-queries.js";
import {
  badgeState,
  deploymentsAfter,
  environmentActivity,
  environmentNames,
  hostReleaseDocs,
  lastDeploymentOfVersion,
  packageNames,
} from "../src/store/read-queries.js";
import { currentVersion } from "../src/store/release-reads.js";
import { listRemovals } from "../src/store/removals.js";
import { type Harness, harness } from "./harness.js";

/*
 * Every read these routes make must reach its rows through an index: a full scan of releases,
 * release_packages, release_tags or current_versions would grow with the history. The statements are
 * captured from the real query functions and handed to EXPLAIN QUERY PLAN.
 */

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const TABLES = /\b(releases|release_packages|release_tags|current_versions|removals|[rpnftc]|nr)\b/;

async function plans(run: (sql: Sql) => Promise<unknown>): Promise<string[][]> {
  const reader = h.store.reader;
  const seen: [string, readonly SqlValue[]][] = [];
  const spy: Sql = {
    ...reader,
    get: (text, params = []) => {
      seen.push([text, params]);
      return reader.get(text, params);
    },
    all: (text, params = []) => {
      seen.push([text, params]);
      return reader.all(text, params);
    },
  };
  await run(spy);
  expect(seen.length).toBeGreaterThan(0);
  const result: string[][] = [];
  for (const [text, params] of seen) {
    const rows = await reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params);
    result.push(rows.map((row) => row.detail));
  }
  return result;
}

function expectIndexed(plan: string[], { sorts = false, groups = false } = {}) {
  for (const step of plan) {
    if (step.startsWith("SCAN") && TABLES.test(step.replace(/^SCAN (hop|w|x|j|facts|CONSTANT ROW).*$/, ""))) {
      throw new Error(`full scan in plan:\n${plan.join("\n")}`);
    }
  }
  const text = plan.join("\n");
  if (!sorts)
    expect(text.replace(groups ? /USE TEMP B-TREE FOR GROUP BY/g : /^$/, "")).not.toMatch(/TEMP B-TREE/);
}

describe("query plans", () => {
  it("current version and badge lookups are index seeks without sorting", async () => {
    for (const plan of await plans((sql) => currentVersion(sql, "api", "production"))) expectIndexed(plan);
    for (const plan of await plans((sql) => badgeState(sql, "api", "production"))) {
      expectIndexed(plan);
      expect(plan.join("\n")).toMatch(/USING COVERING INDEX packages_by_environment/);
    }
  });

  it("DORA reads its window through the covering index and seeks the next deployment", async () => {
    const scopes = [
      { environments: ["production"], from: "2024-01-01T00:00:00.000Z", to: "2024-02-01T00:00:00.000Z" },
      {
        environments: ["production", "eu-live"],
        from: "2024-01-01T00:00:00.000Z",
        to: "2024-02-01T00:00:00.000Z",
        team: "web",
        package: "api",
      },
    ];
    for (const scope of scopes) {
      const [plan = []] = await plans((sql) => doraFacts(sql, scope));
      // Grouping the window's rows by release sorts them: that grows with the window, not the history.
      expectIndexed(plan, { groups: true });
      const text = plan.join("\n");
      expect(text).toMatch(/SEARCH r USING COVERING INDEX releases_finished_covering/);
      expect(text).toMatch(/SEARCH n USING COVERING INDEX packages_succeeded \(/);
      // Each correlated lookup runs once per row, not once per mention.
      expect(text.match(/SEARCH o USING/g)).toHaveLength(1);
    }
  });

  it("environments, packages, hosts and drift use indexes", async () => {
    for (const plan of await plans((sql) => environmentNames(sql))) expectIndexed(plan);
    for (const plan of await plans((sql) => packageNames(sql))) expectIndexed(plan);
    for (const plan of await plans((sql) => hostReleaseDocs(sql, "web-1", 20))) expectIndexed(plan);
    for (const plan of await plans((sql) => lastDeploymentOfVersion(sql, "api", "staging", "1.0"))) {
      expectIndexed(plan);
    }
    const after = { finished_at: "2024-01-01T00:00:00.000Z", release_seq: 5 };
    for (const plan of await plans((sql) => deploymentsAfter(sql, "api", "staging", after, 100))) {
      expectIndexed(plan);
    }
    // Removals, newest first, read in that order from an index and cut at the limit (never sorted),
    // whatever the filter; one package's removals (a handful) may be sorted.
    const before = { removed_at: "2024-01-01T00:00:00.000Z", package: "api", environment: "production" };
    const ordered = [
      [{}, /SCAN removals USING (COVERING )?INDEX removals_by_time/],
      [{ before }, /SEARCH removals USING (COVERING )?INDEX removals_by_time/],
      [{ environment: "production" }, /SEARCH removals USING (COVERING )?INDEX removals_by_environment/],
      [
        { environment: "production", before },
        /SEARCH removals USING (COVERING )?INDEX removals_by_environment/,
      ],
    ] as const;
    for (const [filter, index] of ordered) {
      const [plan = []] = await plans((sql) => listRemovals(sql, filter, 100));
      expect(plan.join("\n")).toMatch(index);
      expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
    }
    for (const plan of await plans((sql) => listRemovals(sql, { package: "api" }, 100))) {
      expectIndexed(plan, { sorts: true });
    }
    // Sorting one environment's current versions (one row per package) is fine.
    for (const plan of await plans((sql) => environmentActivity(sql, "production"))) {
      expectIndexed(plan, { sorts: true });
    }
  });
});
