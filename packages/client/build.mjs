// Bundles the CLI into one file with no dependencies, for machines without this repository
// (a Jenkins agent, a CI image, an Argo CD hook container): `node sponge.mjs --help`.
// Usage: node build.mjs [OUTFILE]   (default dist/sponge.mjs)
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));

await build({
  entryPoints: [resolve(here, "src/cli/main.ts")],
  outfile: process.argv[2] ? resolve(process.argv[2]) : resolve(here, "dist/sponge.mjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
