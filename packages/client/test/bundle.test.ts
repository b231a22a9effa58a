import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL("..", import.meta.url));

describe("bundles", () => {
  it("the client library bundles without any dependency (the action embeds it)", async () => {
    const result = await build({
      entryPoints: [join(here, "src/index.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) =>
      relative(here, join(process.cwd(), input)),
    );
    expect(inputs.length).toBeGreaterThan(3);
    for (const input of inputs) expect(input).toMatch(/^src\//);
  });

  it("the CLI bundle runs on its own, away from node_modules", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sponge-bundle-"));
    try {
      const file = join(dir, "sponge.mjs");
      await run(process.execPath, [join(here, "build.mjs"), file]);
      const version = await run(process.execPath, [file, "--version"], { cwd: dir, env: { PATH: "" } });
      expect(version.stdout).toBe(`${VERSION}\n`);
      const usage = await run(process.execPath, [file, "release", "finish", "--status", "done-ish"], {
        cwd: dir,
        env: { SPONGE_RELEASE_ID: "r1" },
      }).catch((error: unknown) => error);
      expect(usage).toMatchObject({ code: 2 });
      const stderr =
        typeof usage === "object" && usage !== null && "stderr" in usage ? String(usage.stderr) : "";
      expect(stderr).toContain('got "done-ish"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
