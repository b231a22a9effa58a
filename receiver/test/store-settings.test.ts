import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "libsql";
import { describe, expect, it } from "vitest";
import { DatabaseOpenError } from "../src/store/database-problems.js";
import { MIGRATIONS } from "../src/store/migrations.js";
import { Store } from "../src/store/store.js";
import { tempDirs } from "./harness.js";

const tempDir = tempDirs("sponge-settings-");
/** The unprivileged user (uid and gid 65534 on Debian and most Linux systems). */
const NOBODY = 65534;
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

describe("a database file that cannot be used", () => {
  const opening = async (path: string): Promise<string> => {
    const error = await Store.open({ url: `file:${path}` }).then(
      async (store) => {
        await store.close();
        return undefined;
      },
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DatabaseOpenError);
    return error instanceof Error ? error.message : "";
  };

  it("names the file and says it is not a SQLite database", async () => {
    const path = tempPath();
    writeFileSync(path, "not a database, just text\n");
    expect(await opening(path)).toBe(
      `cannot use the database ${path}: it is not a SQLite database (file is not a database)`,
    );
  });

  it("names the file and says it is a directory", async () => {
    const path = tempPath();
    mkdirSync(path);
    expect(await opening(path)).toBe(`cannot use the database ${path}: it is a directory`);
  });

  it("names the file when its directory cannot be created", async () => {
    const file = tempPath();
    writeFileSync(file, "");
    const path = join(file, "sub", "sponge.db");
    expect(await opening(path)).toBe(
      `cannot create the directory of the database ${path}: part of the path is a file, not a directory`,
    );
  });

  /**
   * `opening`, as a user that permissions stop: root is not stopped by them, so as root the store is opened
   * by a child process running as `nobody` (the built store, which `npm test` makes first). The file's
   * directory must let `nobody` in.
   */
  const openingAsUser = async (path: string): Promise<string> => {
    if (process.getuid?.() !== 0) return opening(path);
    const store = new URL("../dist/store/store.js", import.meta.url).href;
    const script = `const { Store } = await import(${JSON.stringify(store)});
      await Store.open({ url: ${JSON.stringify(`file:${path}`)} }).then(
        (opened) => opened.close().then(() => console.log("opened")),
        (error) => console.log(error.name + ": " + error.message));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      uid: NOBODY,
      gid: NOBODY,
      encoding: "utf8",
    });
    const [name, message] = child.stdout.trim().split(/: (.*)/s);
    expect(name, child.stderr).toBe("DatabaseOpenError");
    return message ?? "";
  };

  it("names the file and says it is read-only", async () => {
    const path = tempPath();
    const store = await Store.open({ url: `file:${path}` });
    await store.close();
    chmodSync(dirname(path), 0o755);
    chmodSync(path, 0o444);
    expect(await openingAsUser(path)).toBe(
      `cannot use the database ${path}: the file is read-only (permission denied)`,
    );
  });

  it("names the directory that cannot be written", async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const dir = join(parent, "locked");
    mkdirSync(dir, { mode: 0o555 });
    const path = join(dir, "sponge.db");
    expect(await openingAsUser(path)).toBe(
      `cannot use the database ${path}: its directory ${dir} cannot be written (permission denied); ` +
        "the -wal and -shm files are created there",
    );
    chmodSync(dir, 0o755);
  });
});
