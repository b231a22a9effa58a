import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, defaultConfig } from "@sponge/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/load-config.js";

// The receiver's file loader lives with the configuration it loads: same schema, same errors.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sponge-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error instanceof Error ? error.message : "";
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("reads the named file", async () => {
    const file = join(dir, "custom.json");
    await writeFile(file, JSON.stringify({ defaultEnvironment: "live", bots: ["ci-*"] }));
    const config = await loadConfig(file);
    expect(config.defaultEnvironment).toBe("live");
    expect(config.bots).toEqual(["ci-*"]);
  });

  it("reads ./sponge.config.json when no file is named, with or without a BOM", async () => {
    await writeFile(
      join(dir, "sponge.config.json"),
      `\uFEFF${JSON.stringify({ defaultEnvironment: "prod" })}`,
    );
    expect((await loadConfig(undefined, dir)).defaultEnvironment).toBe("prod");
    expect((await loadConfig("", dir)).defaultEnvironment).toBe("prod");
  });

  it("falls back to the defaults when there is no file to read", async () => {
    expect(await loadConfig(undefined, dir)).toEqual(defaultConfig);
  });

  it("refuses a named file that does not exist", async () => {
    const message = await failure(loadConfig(join(dir, "missing.json")));
    expect(message).toContain(join(dir, "missing.json"));
    expect(message).toContain("ENOENT");
  });

  it("names the file on a JSON syntax error", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, '{ "defaultEnvironment": "prod", }');
    const message = await failure(loadConfig(file));
    expect(message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON: `),
    );
  });

  it("names the file, the key and the expectation on a schema error", async () => {
    const file = join(dir, "wrong.json");
    await writeFile(file, JSON.stringify({ teams: [{ team: "web", packages: "web-*" }] }));
    expect(await failure(loadConfig(file))).toBe(
      `${file} is not valid:\n  teams.0.packages: expected array, received string`,
    );
  });

  it("refuses a file whose content is null, as it refuses an array", async () => {
    const file = join(dir, "null.json");
    await writeFile(file, "null");
    expect(await failure(loadConfig(file))).toBe(
      `${file} is not valid:\n  (root): expected object, received null`,
    );
    await writeFile(file, "[]");
    expect(await failure(loadConfig(file))).toBe(
      `${file} is not valid:\n  (root): expected object, received array`,
    );
  });

  it("resolves a relative path against the working directory", async () => {
    await writeFile(join(dir, "rel.json"), "{}");
    expect(await loadConfig("rel.json", dir)).toEqual(defaultConfig);
  });
});
