import { join } from "node:path";
import Database from "libsql";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../src/store/migrations.js";
import { Store } from "../src/store/store.js";
import { tempDirs } from "./harness.js";

const tempDir = tempDirs("sponge-settings-");
const tempPath = () => join(tempDir(), "sponge.db");

const pragma = async (store: Store, name: string, on: "reader" | "writer") =>
  on === "reader"
    ? store.reader.get<Record<string, unknown>>(`PRAGMA ${name}`)
    : store.write((sql) => sql.get<Record<string, unknown>>(`PRAGMA ${name}`));

describe("the store's connection settings", () => {
  it("opens a file in WAL mode, synchronous=FULL, with rarer checkpoints and a larger writer cache", async () => {
    const store = await Store.open({ url: `file:${tempPath()}` });
    try {
      expect(await pragma(store, "journal_mode", "reader")).toEqual({ journal_mode: "wal" });
      expect(await pragma(store, "synchronous", "writer")).toEqual({ synchronous: 2 });
      expect(await pragma(store, "wal_autocheckpoint", "writer")).toEqual({ wal_autocheckpoint: 10_000 });
      expect(await pragma(store, "cache_size", "writer")).toEqual({ cache_size: -32 * 1024 });
      expect(await pragma(store, "busy_timeout", "writer")).toEqual({ timeout: 10_000 });
    } finally {
      await store.close();
    }
  });

  it("drops the finish index that the covering index made redundant, on upgrade too", async () => {
    const path = tempPath();
    // A database as version 5 left it.
    const old = new Database(path);
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
      old.exec(migration.sql);
      old
        .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(migration.version, migration.name, "2026-01-01T00:00:00Z");
    }
    const indexes = (db: Database.Database) =>
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'releases'")
        .all()
        .map((row) => (row as { name: string }).name);
    expect(indexes(old)).toContain("releases_by_finish");
    old.close();

    const store = await Store.open({ url: `file:${path}` });
    await store.close();
    const upgraded = new Database(path);
    expect(indexes(upgraded)).not.toContain("releases_by_finish");
    expect(indexes(upgraded)).toContain("releases_finished_covering");
    upgraded.close();
  });
});
