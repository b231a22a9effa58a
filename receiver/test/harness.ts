import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { createApp } from "../src/app.js";
import type { ReceiverConfig } from "../src/app-context.js";
import { receiverConfig } from "../src/receiver-config.js";
import { Store } from "../src/store/store.js";

/**
 * Temp directories for one test file, removed after each test. Call it at the file's top level.
 *
 * @example
 * const tempDir = tempDirs("sponge-thread-");
 * const path = join(tempDir(), "w.db");
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Response bodies in tests are checked by assertions, not by types. */
export type Json = any;

/** The JSON body of a response. */
export async function json(res: Response | Promise<Response>): Promise<Json> {
  return (await res).json() as Promise<Json>;
}

export const WRITE_TOKEN = "test-write-token-0001";
export const READ_TOKEN = "test-read-token-0001";
export const ADMIN_TOKEN = "test-admin-token-0001";

export interface Harness {
  store: Store;
  dir: string;
  request(path: string, init?: RequestInit & { json?: unknown; token?: string | null }): Promise<Response>;
  app: ReturnType<typeof createApp>["app"];
  context: ReturnType<typeof createApp>["context"];
  close(): Promise<void>;
}

/** A receiver app on a temp-file database with a controllable clock. */
export async function harness(
  options: { config?: Partial<ReceiverConfig>; now?: () => Date } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "sponge-test-"));
  // The release writes run on the write thread, as in the receiver's process.
  const store = await Store.open({
    url: `file:${join(dir, "sponge.db")}`,
    synchronous: "NORMAL",
    writeThread: true,
  });
  const config = receiverConfig({
    auth: {
      tokens: [
        { scope: "write", token: WRITE_TOKEN },
        { scope: "read", token: READ_TOKEN },
        { scope: "admin", token: ADMIN_TOKEN },
      ],
      webhookSecrets: false,
      publicRead: true,
    },
    ...options.config,
  });
  const { app, context } = createApp({
    store,
    config,
    ...(options.now ? { clock: options.now } : {}),
    logError: () => {},
  });
  return {
    store,
    dir,
    app,
    context,
    request: async (path, init = {}) => {
      const { json, token = WRITE_TOKEN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      if (json !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
      return app.request(path, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
