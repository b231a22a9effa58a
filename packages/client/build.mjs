// Bundles the CLI into one file with no dependencies, for machines without this repository
// (a Jenkins agent, a CI image, an Argo CD hook container): `node sponge.mjs --help`.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("./src/cli/main.ts", import.meta.url).pathname],
  outfile: new URL("./dist/sponge.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "none",
  logLevel: "info",
});
