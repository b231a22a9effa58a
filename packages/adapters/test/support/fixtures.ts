import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The shared, recorded payloads (see its README); a missing folder fails the run loudly. */
export const SHARED_FIXTURES = fileURLToPath(new URL("../../../../../shared/fixtures/", import.meta.url));
/** Payloads this package adds (CDEvents spec 0.4). */
export const LOCAL_FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface Fixture {
  /** Path relative to its fixtures root, e.g. `github/deployment.created.json`. */
  name: string;
  body: unknown;
}

/** Every `.json` file under `root/folder`, recursively, sorted by name. */
export function readFixtures(root: string, folder: string): Fixture[] {
  const dir = `${root}${folder}`;
  if (!existsSync(dir)) throw new Error(`fixture folder ${dir} is missing`);
  const out: Fixture[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = `${dir}/${entry}`;
    if (statSync(path).isDirectory()) out.push(...readFixtures(root, `${folder}/${entry}`));
    else if (entry.endsWith(".json"))
      out.push({ name: `${folder}/${entry}`, body: JSON.parse(readFileSync(path, "utf8")) });
  }
  if (out.length === 0) throw new Error(`fixture folder ${dir} holds no JSON payloads`);
  return out;
}

/** One fixture by path, e.g. `readFixture("gitlab/deployment.success.json")`. */
export function readFixture(name: string, root = SHARED_FIXTURES): unknown {
  return JSON.parse(readFileSync(`${root}${name}`, "utf8"));
}

/** A deep copy, so a test can edit a fixture without touching the others. */
export function copyOf(value: unknown): Record<string, unknown> {
  const copy: unknown = structuredClone(value);
  return z.record(z.string(), z.unknown()).parse(copy);
}

const examplesSchema = z.array(z.object({ name: z.string(), examples: z.array(z.unknown()) }));

/** Every example payload of `@octokit/webhooks-examples`, with its event name. */
export function octokitExamples(): Array<{ event: string; body: unknown }> {
  const require = createRequire(import.meta.url);
  const definitions = examplesSchema.parse(require("@octokit/webhooks-examples"));
  return definitions.flatMap((definition) =>
    definition.examples.map((body) => ({ event: definition.name, body })),
  );
}
