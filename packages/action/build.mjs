// Bundles the GitHub Action into dist/action/ (committed: a runner executes the action
// without installing anything). `node packages/action/build.mjs [outdir]`; the default
// outdir is dist/action at the repository root. The output depends only on the sources and
// the installed packages, byte for byte, so test/action-bundle.test.ts can compare the
// committed bundle with a fresh build.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outdir = resolve(process.argv[2] ?? resolve(root, "dist/action"));

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

// Sponge's own packages have no import-time side effects (core is pure by design), so the
// modules the action does not use are left out and a change elsewhere in core or the client
// does not change the bundle.
const PURE = [resolve(root, "packages/core/src"), resolve(root, "packages/client/src")];
const pureWorkspaces = {
  name: "pure-workspaces",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      const { path, errors } = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      if (errors.length > 0 || !PURE.some((dir) => path.startsWith(dir))) return undefined;
      return { path, sideEffects: false };
    });
  },
};

await build({
  // Paths in the bundle's comments are relative to this, so they do not depend on where the checkout lives.
  absWorkingDir: root,
  entryPoints: { main: "packages/action/src/main.ts", post: "packages/action/src/post.ts" },
  outdir,
  bundle: true,
  platform: "node",
  // The action declares `using: node24`; it must also run on the Node 20 runners of older GHES.
  target: "node20",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // Workspace packages from source, so the bundle does not depend on a stale packages/*/dist.
  alias: {
    "@sponge/core": "./packages/core/src/index.ts",
    "@sponge/client": "./packages/client/src/index.ts",
  },
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __spongeCreateRequire } from "node:module";\nconst require = __spongeCreateRequire(import.meta.url);',
  },
  legalComments: "eof",
  sourcemap: false,
  minify: false,
  charset: "utf8",
  logLevel: "warning",
  plugins: [pureWorkspaces],
});

// Runners execute dist/action/*.js directly: mark them ES modules whatever surrounds them.
await writeFile(resolve(outdir, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
