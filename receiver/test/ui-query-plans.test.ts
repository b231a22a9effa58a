import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql, SqlValue } from "../src/store/database.js";
import { distinctValues, drift, matrixCells, ongoingReleases, recentCounts } from "../src/ui/queries.js";
import { type Harness, harness } from "./harness.js";

/*
 * The dashboard's own queries must reach history (releases, release_packages, release_tags, logs)
 * through indexes: a page on a database of a million releases may not read them all. The matrix reads
 * the whole current_versions table on purpose: it is one row per package and environment, and it is
 * what the matrix shows.
 */

let h: Harness;
beforeAll(async () => {
  h = await harness();
  const write = (body: Record<string, unknown>) => h.request("/api/releases", { method: "POST", json: body });
  for (const [environment, version] of [
    ["staging", "1.1.0"],
    ["production", "1.0.0"],
  ] as const) {
    const res = await write({
      package: "api",
      version,
      environment,
      status: "succeeded",
      team: "web",
      person: "jane",
    });
    expect(res.status).toBe(201);
  }
  for (const release of [
    { package: "worker", version: "0.1.0", environment: "staging", status: "failed", team: "data" },
    {
      package: "web",
      version: "2.0.0",
      environment: "staging",
      status: "queued",
      started_at: "2026-01-01T10:00:00.000Z",
    },
    {
      package: "web",
      version: "2.0.1",
      environment: "staging",
      status: "running",
      started_at: "2026-01-01T09:00:00.000Z",
    },
    {
      package: "worker",
      version: "0.2.0",
      environment: "staging",
      status: "queued",
      team: "data",
      started_at: "2025-06-01T08:00:00.000Z",
    },
  ]) {
    const res = await write(release);
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await h.close();
});

const HISTORY = /\b(releases|release_packages|release_tags|logs|r|l|lr|ra|rb|p)\b/;

async function plans(run: (sql: Sql) => Promise<unknown>): Promise<string[]> {
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
  const result: string[] = [];
  for (const [text, params] of seen) {
    const rows = await reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params);
    result.push(rows.map((row) => row.detail).join("\n"));
  }
  return result;
}

function expectNoHistoryScan(plan: string) {
  for (const step of plan.split("\n")) {
    if (step.startsWith("SCAN") && HISTORY.test(step) && !/USING (COVERING )?INDEX|PRIMARY KEY/.test(step)) {
      throw new Error(`full scan of history in plan:\n${plan}`);
    }
    if (step.startsWith("SCAN") && HISTORY.test(step)) {
      throw new Error(`an index is walked whole in plan:\n${plan}`);
    }
  }
}

describe("dashboard query plans", () => {
  it("the matrix skips through the package-environment index and joins each pair by key", async () => {
    for (const team of [undefined, "web"]) {
      const [plan = ""] = await plans((sql) => matrixCells(sql, { team }));
      expectNoHistoryScan(plan);
      expect(plan).toMatch(
        /SEARCH release_packages USING COVERING INDEX packages_by_environment \(name=\? AND environment>\?\)/,
      );
      expect(plan).toMatch(/SEARCH c USING PRIMARY KEY \(package=\? AND environment=\?\)/);
      expect(plan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY/);
      expect(plan).toMatch(
        /SEARCH p USING (COVERING )?INDEX packages_by_environment \(name=\? AND environment=\?\)/,
      );
      expect(plan).toMatch(/SEARCH lr USING INTEGER PRIMARY KEY/);
    }
  });

  it("the matrix has a cell for each package and environment, deployed successfully or not", async () => {
    const cells = await matrixCells(h.store.reader, {});
    expect(cells.map((cell) => [cell.package, cell.environment, cell.current?.version ?? null])).toEqual([
      ["api", "production", "1.0.0"],
      ["api", "staging", "1.1.0"],
      ["web", "staging", null],
      ["worker", "staging", null],
    ]);
    expect(cells[2]?.latest).toMatchObject({ status: "queued", version: "2.0.0" });
    expect(cells[3]?.latest).toMatchObject({ status: "failed", version: "0.1.0" });
    expect((await matrixCells(h.store.reader, { team: "data" })).map((cell) => cell.package)).toEqual([
      "worker",
    ]);
  });

  it("what is deploying now reads the running and queued ends of the status index", async () => {
    for (const team of [undefined, "web"]) {
      const [plan = ""] = await plans((sql) => ongoingReleases(sql, team, 25));
      expectNoHistoryScan(plan);
      const searches = plan.match(/SEARCH releases USING INDEX releases_by_status \(status=\?\)/g) ?? [];
      expect(searches).toHaveLength(2);
    }
    const ongoing = await ongoingReleases(h.store.reader, undefined, 25);
    expect(ongoing.releases.map((release) => [release.status, release.packages[0]?.name])).toEqual([
      ["running", "web"],
      ["queued", "web"],
      ["queued", "worker"],
    ]);
    expect(ongoing.more).toBe(false);
    const capped = await ongoingReleases(h.store.reader, undefined, 2);
    expect(capped.releases.map((release) => release.status)).toEqual(["running", "queued"]);
    expect(capped.more).toBe(true);
  });

  it("filter choices skip through their index one value at a time", async () => {
    for (const field of ["team", "person"] as const) {
      for (const plan of await plans((sql) => distinctValues(sql, field))) {
        expectNoHistoryScan(plan);
        expect(plan).toMatch(/SEARCH releases USING COVERING INDEX releases_by_(team|person)/);
      }
    }
    expect(await distinctValues(h.store.reader, "team")).toEqual(["data", "web"]);
  });

  it("the week's counts read a range of the start-time or team index", async () => {
    for (const team of [undefined, "web"]) {
      const [plan = ""] = await plans((sql) => recentCounts(sql, "2026-01-01T00:00:00.000Z", team));
      expectNoHistoryScan(plan);
      expect(plan).toMatch(/SEARCH releases USING INDEX releases_by_(start|team)/);
    }
  });

  it("drift reads current versions by environment and counts on the succeeded-deployments index", async () => {
    const all = await plans((sql) => drift(sql, "staging", "production"));
    // The current versions, `from`'s latest deployment of `to`'s version (the anchor), then the count.
    expect(all.length).toBe(3);
    for (const plan of all) expectNoHistoryScan(plan);
    expect(all[0]).toMatch(/SEARCH a USING (COVERING )?INDEX current_by_environment/);
    expect(all[1]).toMatch(/USING (COVERING )?INDEX packages_succeeded/);
    expect(all[2]).toMatch(/USING (COVERING )?INDEX packages_succeeded/);
  });
});
