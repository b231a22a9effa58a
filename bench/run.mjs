// `npm run bench`: runs every bench/*-bench.mjs in turn (each writes its figures to bench/results/).
//   npm run bench                 all of them
//   npm run bench -- ingest read  only those whose name starts with one of the words
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith("-bench.mjs"))
  .filter((name) => only.length === 0 || only.some((word) => name.startsWith(word)))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${only.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, [name], { cwd: dir, stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.error(`${name} failed (${run.status ?? run.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
