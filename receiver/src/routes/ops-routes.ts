import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.js";
import { unavailable } from "../errors.js";
import { openApiDocument } from "../openapi.js";

const swaggerDir = join(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"), "..");
const SWAGGER_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** Health, readiness, Prometheus metrics, the OpenAPI document and its offline viewer at /docs. */
export function opsRoutes(ctx: AppContext, extraPaths: () => Record<string, unknown>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let openapi: string | undefined;

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", async (c) => {
    if (!(await ctx.store.ping())) throw unavailable("the database does not answer");
    return c.json({ status: "ready" });
  });

  app.get("/metrics", async (c) =>
    c.body(await ctx.metrics.registry.metrics(), 200, { "Content-Type": ctx.metrics.registry.contentType }),
  );

  app.get("/api/openapi.json", (c) => {
    openapi ??= JSON.stringify(openApiDocument(extraPaths()));
    return c.body(openapi, 200, { "Content-Type": "application/json; charset=utf-8" });
  });

  app.get("/docs", (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sponge API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><p style="margin:0;padding:0.6rem 1.25rem;font:14px/1.4 system-ui,sans-serif;border-bottom:1px solid #d8dee4">
<a href="/" style="color:#0b57d0">← Sponge dashboard</a></p>
<div id="api"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`),
  );

  app.get("/docs/assets/init.js", (c) =>
    c.body('window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#api" });', 200, {
      "Content-Type": "text/javascript; charset=utf-8",
    }),
  );

  // Fixed paths rather than a parameter: a parameter here would put Hono's whole router on its slower path.
  // Read and compressed once: the viewer's script is 1.7 MB as it is and about a quarter of that gzipped.
  for (const [file, type] of Object.entries(SWAGGER_FILES)) {
    let asset: Promise<{ plain: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> }> | undefined;
    app.get(`/docs/assets/${file}`, async (c) => {
      asset ??= readFile(join(swaggerDir, file)).then((plain) => ({
        plain,
        gzipped: new Uint8Array(gzipSync(plain)),
      }));
      const { plain, gzipped } = await asset;
      const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
      return c.body(gzip ? gzipped : plain, 200, {
        "Content-Type": type,
        "Cache-Control": "public, max-age=86400",
        Vary: "Accept-Encoding",
        ...(gzip ? { "Content-Encoding": "gzip" } : {}),
      });
    });
  }

  return app;
}
