#!/usr/bin/env node
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { replaceDemoDatabase } from "./demo/demo-database.js";
import { DEMO_CONFIG } from "./demo/demo-organisation.js";
import { seedDemo } from "./demo/seed-demo.js";
import { hostPort, isLoopbackHost, listening, parseEnv } from "./env.js";
import { receiverConfig } from "./receiver-config.js";
import { DatabaseOpenError } from "./store/database-problems.js";
import { Store } from "./store/store.js";

const USAGE = `Usage: npm run demo [-- --database ./data/demo.db] [--days 120] [--seed-only]

Records a sample organisation (5 teams, 13 packages, development/staging/production/prod-eu, about four
months of history) into a fresh database file, then serves the receiver and its dashboard on
http://127.0.0.1:8080 (PORT and HOST change that; loopback only).

An existing --database file is replaced only when it holds nothing but an earlier demo's releases;
any other file (a receiver's database, or one that is not a Sponge database) is left alone and the
demo stops. Of the receiver's settings the demo reads PORT and HOST only: SPONGE_TOKENS,
SPONGE_PUBLIC_READ, SPONGE_DATABASE_URL, SPONGE_CONFIG and the others do not apply to it (writes are
open to this machine, reads are public, the database is --database).`;

/** `npm run demo`: seed the sample organisation, then serve it. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: "string", default: "./data/demo.db" },
      days: { type: "string", default: "120" },
      "seed-only": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 7 || days > 730)
    throw new Error("--days: expected a whole number from 7 to 730");
  // PORT and HOST only: the demo's credentials, reads, database and configuration are its own.
  const env = parseEnv({ PORT: process.env.PORT, HOST: process.env.HOST });
  if (!isLoopbackHost(env.HOST)) {
    throw new Error(
      `HOST=${env.HOST}: the demo accepts writes without a token, so it listens on loopback only`,
    );
  }

  const path = resolve(values.database);
  replaceDemoDatabase(path);
  const store = await Store.open({ url: `file:${path}`, synchronous: "NORMAL" }).catch((error: unknown) => {
    throw error instanceof DatabaseOpenError ? new Error(`${error.message} (--database)`) : error;
  });
  const started = performance.now();
  const summary = await seedDemo(store, { now: new Date(), days });
  log(
    `recorded ${summary.releases} releases (${summary.running.length} still running) and ${summary.logLines} log lines ` +
      `into ${path} in ${Math.round(performance.now() - started)} ms`,
  );
  if (values["seed-only"]) {
    await store.close();
    return;
  }

  const { app } = createApp({ store, config: receiverConfig({ sponge: DEMO_CONFIG }), processMetrics: true });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });
  try {
    await listening(server, env.HOST, env.PORT);
  } catch (error) {
    await store.close();
    throw error;
  }
  const info = server.address() as AddressInfo;
  log(`dashboard on http://${hostPort(info.address, info.port)}/ (Ctrl-C stops)`);
  const stop = () => {
    server.close(() => {
      void store.close().then(() => process.exit(0));
    });
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function log(message: string): void {
  console.log(`[sponge demo] ${message}`);
}

main().catch((error: unknown) => {
  console.error(`[sponge demo] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
