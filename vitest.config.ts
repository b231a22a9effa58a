import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Unit tests run on the TypeScript sources; end-to-end tests run the built dist/.
    alias: {
      "@sponge/core": src("./packages/core/src/index.ts"),
      "@sponge/adapters": src("./packages/adapters/src/index.ts"),
      "@sponge/client": src("./packages/client/src/index.ts"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "receiver/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
