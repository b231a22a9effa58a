// The ceiling the ingest benchmark compares against: a bare Hono route that parses a JSON body and
// sends it back, on the same @hono/node-server adapter the receiver uses.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/echo", async (c) => c.json(await c.req.json(), 201));

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => process.exit(0));
