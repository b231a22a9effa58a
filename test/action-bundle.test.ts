import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { INPUT_NAMES } from "../packages/action/src/inputs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const committed = join(root, "dist/action");
const fresh = mkdtempSync(join(tmpdir(), "sponge-action-build-"));

afterAll(() => rmSync(fresh, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe("the committed action bundle", () => {
  it("is byte for byte what `npm run build:action` produces from the sources", async () => {
    await promisify(execFile)(process.execPath, [join(root, "packages/action/build.mjs"), fresh], {
      cwd: root,
    });
    const built = files(fresh);
    expect(built).toContain("main.js");
    expect(built).toContain("post.js");
    const stale = "dist/action is stale: run `npm run build:action` and commit dist/action";
    expect(files(committed), stale).toEqual(built);
    for (const file of built) {
      const same = readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file)));
      expect(same, `${stale} (${file} differs)`).toBe(true);
    }
  });

  it("is what action.yml runs, on node24, with a post step that always runs", () => {
    const action = readFileSync(join(root, "action.yml"), "utf8");
    expect(action).toMatch(
      /^runs:\n {2}using: node24\n {2}main: dist\/action\/main\.js\n {2}post: dist\/action\/post\.js\n {2}post-if: always\(\)\n/m,
    );
    expect(action).toMatch(/^ {2}job-status:\n(?: {4}.*\n)* {4}default: \$\{\{ job\.status \}\}\n/m);
    expect(action).toMatch(/^ {2}github-token:\n(?: {4}.*\n)* {4}default: \$\{\{ github\.token \}\}\n/m);
  });

  it("declares exactly the inputs the action reads, and the four outputs", () => {
    const inputs =
      /^inputs:\n((?: {2}.*\n|\n)*)/m.exec(readFileSync(join(root, "action.yml"), "utf8"))?.[1] ?? "";
    const declared = [...inputs.matchAll(/^ {2}([\w-]+):$/gm)].map((match) => match[1]);
    expect(declared.sort()).toEqual([...INPUT_NAMES].sort());
    const outputs =
      /^outputs:\n((?: {2}.*\n|\n)*)/m.exec(readFileSync(join(root, "action.yml"), "utf8"))?.[1] ?? "";
    expect([...outputs.matchAll(/^ {2}([\w-]+):$/gm)].map((match) => match[1])).toEqual([
      "release-id",
      "release-url",
      "version",
      "previous-version",
    ]);
  });
});
