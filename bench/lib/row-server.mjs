// The ingest benchmark's second reference: the cheapest durable write of the same request. A bare Hono
// route on the same adapter parses the JSON body and stores it as one row (its key unique, the document
// as text) in an embedded libSQL file (WAL, synchronous=FULL), with group commit like the receiver's:
// requests that arrive together share one transaction and one fsync, each in its own savepoint, and no
// answer leaves before the commit. What the receiver costs beyond this is its own work per release
// (validation, history, index rows), not durability.
//
//   node bench/lib/row-server.mjs <database path>
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import Database from "libsql";

const path = process.argv[2];
if (!path) throw new Error("usage: node bench/lib/row-server.mjs <database path>");
const db = new Database(path);
for (const pragma of ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 10000"]) {
  db.exec(`PRAGMA ${pragma}`);
}
db.exec("CREATE TABLE IF NOT EXISTS releases (seq INTEGER PRIMARY KEY, key TEXT UNIQUE, doc TEXT NOT NULL)");
const insert = db.prepare("INSERT INTO releases (key, doc) VALUES (?, ?)");

/** Writes waiting for the next batch: each a key, a document and the answer to send once committed. */
let pending = [];
let flushing = false;

function commitBatch() {
  const batch = pending;
  pending = [];
  db.exec("BEGIN IMMEDIATE");
  for (const write of batch) {
    db.exec("SAVEPOINT write");
    try {
      insert.run(write.key, write.doc);
      db.exec("RELEASE write");
      write.ok = true;
    } catch {
      db.exec("ROLLBACK TO write");
      db.exec("RELEASE write");
    }
  }
  db.exec("COMMIT");
  for (const write of batch) write.done();
  // Requests that arrived during this batch form the next one.
  if (pending.length > 0) setImmediate(commitBatch);
  else flushing = false;
}

const app = new Hono();
app.post("/rows", async (c) => {
  const body = await c.req.json();
  const write = { key: String(body.key), doc: JSON.stringify(body), ok: false, done: () => {} };
  await new Promise((resolve) => {
    write.done = resolve;
    pending.push(write);
    if (!flushing) {
      flushing = true;
      setImmediate(commitBatch);
    }
  });
  return write.ok ? c.json(body, 201) : c.json({ error: { code: "conflict" } }, 409);
});

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => {
  db.close();
  process.exit(0);
});
