// One HTTP server for the read benchmark, on the same @hono/node-server adapter either way:
//   node bench/lib/read-server.mjs bare               bare Hono routes: GET /bare/svg, GET /bare/json
//   node bench/lib/read-server.mjs receiver <db url>  the receiver app (createApp) on that database
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const [mode, url] = process.argv.slice(2);
let app;
if (mode === "bare") {
  // The same bytes the receiver answers, without the receiver's work: a badge drawn once at start-up and
  // a current-version document of the usual size.
  const { makeBadge } = await import("badge-maker");
  const svg = makeBadge({ label: "production", message: "1.234.0", color: "brightgreen" });
  const current = JSON.stringify({
    package: "service-042",
    environment: "production",
    version: "1.234.0",
    release_id: "0018d2c4f8a00-0000000f4240",
    deployed_at: "2025-12-31T23:59:00.000Z",
    person: "dev42",
    team: "team-7",
    commit: "9f3c2b1a9f3c2b1a9f3c2b1a9f3c2b1a9f3c2b1a",
  });
  app = new Hono();
  app.get("/bare/svg", (c) =>
    c.body(svg, 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=60",
    }),
  );
  app.get("/bare/json", (c) => c.body(current, 200, { "Content-Type": "application/json; charset=utf-8" }));
} else if (mode === "receiver" && url) {
  const { createApp, receiverConfig, Store } = await import("../../receiver/dist/index.js");
  const store = await Store.open({ url });
  const config = receiverConfig({ auth: { tokens: [], webhookSecrets: false, publicRead: true } });
  app = createApp({ store, config, logError: (message, error) => console.error(message, error) }).app;
  process.on("SIGTERM", () => void store.close().then(() => process.exit(0)));
} else {
  console.error("usage: read-server.mjs bare | receiver <database url>");
  process.exit(2);
}

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
if (mode === "bare") process.on("SIGTERM", () => process.exit(0));
