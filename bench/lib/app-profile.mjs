// Development aid: drives the receiver app in-process (no HTTP) with CONCURRENCY writes in flight and
// reports the time per write, so write-path changes can be compared quickly. Not part of `npm run bench`.
//   node bench/lib/app-profile.mjs [count] [concurrency]
import { rmSync } from "node:fs";

const dist = process.env.RECEIVER_DIST ?? "../../receiver/dist";
const { createApp, receiverConfig, Store } = await import(`${dist}/index.js`);

import { releaseBody } from "../ingest-bench.mjs";
import { tempDatabase } from "./processes.mjs";

const COUNT = Number(process.argv[2] ?? 5000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const TOKEN = "bench-write-token-0001";

const db = tempDatabase();
const store = await Store.open({
  url: db.url,
  synchronous: process.env.SPONGE_DATABASE_SYNCHRONOUS ?? "FULL",
});
const { app } = createApp({
  store,
  config: receiverConfig({
    auth: { tokens: [{ scope: "write", token: TOKEN }], webhookSecrets: false, publicRead: true },
  }),
});
const headers = { "content-type": "application/json", authorization: `Bearer ${TOKEN}` };
let next = 0;
const worker = async () => {
  while (next < COUNT) {
    const n = next++;
    const res = await app.request("/api/releases", { method: "POST", headers, body: releaseBody(n, "p") });
    if (res.status !== 201) throw new Error(`status ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
};
const started = performance.now();
const cpu = process.cpuUsage();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(
  `${COUNT} writes: ${Math.round((COUNT / ms) * 1000)}/s, ${Math.round((ms * 1000) / COUNT)} µs wall and ` +
    `${Math.round((used.user + used.system) / COUNT)} µs CPU per write`,
);
await store.close();
rmSync(db.dir, { recursive: true, force: true });
