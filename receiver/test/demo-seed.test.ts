import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { replaceDemoDatabase, whyNotReplace } from "../src/demo/demo-database.js";
import { DEMO_CONFIG, DEMO_ENVIRONMENTS, DEMO_TEAMS } from "../src/demo/demo-organisation.js";
import { planDemo } from "../src/demo/demo-plan.js";
import { Random } from "../src/demo/random.js";
import { type DemoSummary, seedDemo } from "../src/demo/seed-demo.js";
import { createOrMergeRelease } from "../src/releases/release-writer.js";
import { Store } from "../src/store/store.js";
import { type Harness, harness, tempDirs } from "./harness.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const DAYS = 30;
let h: Harness;
let summary: DemoSummary;

const release = z.looseObject({
  id: z.string(),
  status: z.string(),
  environment: z.string(),
  team: z.string().nullable(),
  person: z.string().nullable(),
  rollback: z.boolean(),
  references: z.array(z.string()),
  inferred: z.record(z.string(), z.string()),
  lead_time_ms: z.number().nullable(),
  hosts: z.array(z.looseObject({ status: z.string() })),
  packages: z.array(z.looseObject({ name: z.string(), version: z.string().nullable() })),
});
const page = z.object({ releases: z.array(release), next_cursor: z.string().nullable() });

async function all(query: string): Promise<z.infer<typeof release>[]> {
  const found: z.infer<typeof release>[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.request(`/api/releases?limit=500&${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    const body = page.parse(await res.json());
    found.push(...body.releases);
    cursor = body.next_cursor;
  } while (cursor);
  return found;
}

beforeAll(async () => {
  h = await harness({ now: () => NOW, config: { sponge: DEMO_CONFIG } });
  summary = await seedDemo(h.store, { now: NOW, days: DAYS });
});
afterAll(async () => {
  await h.close();
});

describe("the demo organisation", () => {
  it("is the same on every run and ordered by start time", () => {
    const first = planDemo(new Random(7), NOW.getTime(), DAYS);
    const second = planDemo(new Random(7), NOW.getTime(), DAYS);
    expect(second.map((p) => [p.pkg.name, p.environment, p.version, p.start])).toEqual(
      first.map((p) => [p.pkg.name, p.environment, p.version, p.start]),
    );
    expect(first.every((p, i) => i === 0 || (first[i - 1]?.start ?? 0) <= p.start)).toBe(true);
    const other = planDemo(new Random(8), NOW.getTime(), DAYS);
    expect(other.map((p) => p.version)).not.toEqual(first.map((p) => p.version));
  });

  it("records every team, environment and outcome through the receiver's write path", async () => {
    const releases = await all("");
    expect(releases).toHaveLength(summary.releases);
    expect(new Set(releases.map((r) => r.environment))).toEqual(new Set(DEMO_ENVIRONMENTS));
    expect(new Set(releases.map((r) => r.team))).toEqual(new Set(DEMO_TEAMS.map((t) => t.team)));
    const statuses = new Set(releases.map((r) => r.status));
    expect(statuses).toEqual(new Set(["succeeded", "failed", "running"]));
    expect(releases.some((r) => r.rollback)).toBe(true);
    expect(releases.some((r) => r.hosts.some((host) => host.status === "failed"))).toBe(true);
    expect(releases.some((r) => r.lead_time_ms !== null && r.lead_time_ms > 0)).toBe(true);
    expect(
      releases.every((r) => r.started_at !== undefined && Date.parse(String(r.started_at)) <= NOW.getTime()),
    ).toBe(true);
  });

  it("leaves three releases running, started minutes ago", async () => {
    const running = await all("status=running");
    expect(running.map((r) => r.id).sort()).toEqual([...summary.running].sort());
    expect(running).toHaveLength(3);
    for (const r of running)
      expect(NOW.getTime() - Date.parse(String(r.started_at))).toBeLessThan(20 * 60_000);
  });

  it("lets the receiver infer people, teams, versions and references, and says from where", async () => {
    const releases = await all("environment=production");
    const fromGitHub = releases.find((r) => r.inferred.person === "ci.actor");
    expect(fromGitHub?.person).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(releases.some((r) => r.inferred.team?.startsWith("config:teams["))).toBe(true);
    expect(releases.some((r) => r.inferred["packages[0].version"] === "ref")).toBe(true);
    expect(releases.some((r) => r.references.some((ref) => /^(PAY|WEB|PLAT|DATA|MOB)-\d+$/.test(ref)))).toBe(
      true,
    );
    expect(releases.some((r) => r.references.some((ref) => /^acme[\w-]*\/[\w-]+#\d+$/.test(ref)))).toBe(true);
    expect(summary.logLines).toBeGreaterThan(100);
  });
});

describe("the demo's database file", () => {
  const tempDir = tempDirs("sponge-demo-");

  const seeded = async (path: string) => {
    const store = await Store.open({ url: `file:${path}`, synchronous: "NORMAL" });
    await seedDemo(store, { now: NOW, days: 7 });
    return store;
  };

  it("is created when missing, and replaced when it holds nothing but a demo's releases", async () => {
    const path = join(tempDir(), "demo.db");
    expect(whyNotReplace(path)).toBeUndefined();
    await (await seeded(path)).close();
    expect(whyNotReplace(path)).toBeUndefined();
    replaceDemoDatabase(path);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });

  it("is never replaced when it holds a release the demo did not record", async () => {
    const path = join(tempDir(), "sponge.db");
    const store = await seeded(path);
    await store.write((sql) =>
      createOrMergeRelease(sql, { config: DEMO_CONFIG, now: NOW.toISOString() }, { extra: {} }, "api"),
    );
    await store.close();
    const before = readFileSync(path);
    expect(whyNotReplace(path)).toBe("it holds 1 release(s) the demo did not record");
    expect(() => replaceDemoDatabase(path)).toThrow(
      `--database ${path}: refusing to replace it: it holds 1 release(s) the demo did not record.`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("is never replaced when it holds tokens, or is not a Sponge database", async () => {
    const dir = tempDir();
    const withToken = join(dir, "tokens.db");
    const store = await Store.open({ url: `file:${withToken}` });
    await store.write((sql) =>
      sql.run(
        "INSERT INTO tokens (id, name, scope, hash, created_at) VALUES ('t1', 'ci', 'write', 'x', '2026-01-01')",
      ),
    );
    await store.close();
    expect(whyNotReplace(withToken)).toBe("it holds API tokens");

    const text = join(dir, "notes.db");
    writeFileSync(text, "my notes\n");
    expect(whyNotReplace(text)).toMatch(/^it cannot be read as a Sponge database/);
    expect(() => replaceDemoDatabase(text)).toThrow(/refusing to replace it/);
    expect(readFileSync(text, "utf8")).toBe("my notes\n");

    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    expect(whyNotReplace(empty)).toBe("it is not a Sponge database");
    const folder = join(dir, "folder.db");
    mkdirSync(folder);
    expect(whyNotReplace(folder)).toBe("it is a directory");
  });
});
