#!/usr/bin/env node
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import type { ReceiverConfig } from "./app-context.js";
import { SHORT_TOKEN_LENGTH } from "./auth/authenticator.js";
import { createOidcVerifier } from "./auth/oidc.js";
import { BODY_LIMITS, EnvError, hostPort, isLoopbackHost, listening, parseEnv } from "./env.js";
import { loadConfig } from "./load-config.js";
import { expireStaleReleases } from "./releases/expire-stale.js";
import { DatabaseOpenError } from "./store/database-problems.js";
import { Store } from "./store/store.js";
import { formatDuration } from "./ui/format.js";
import { pruneOldDeliveries } from "./webhooks/prune-old-deliveries.js";

const SWEEP_INTERVAL_MS = 60_000;

/** The `sponge-receiver` process: reads the environment, serves, shuts down gracefully. */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const sponge = await loadConfig(env.SPONGE_CONFIG);
  const loopbackOnly = isLoopbackHost(env.HOST);
  const webhookSecrets = [
    env.SPONGE_GITHUB_WEBHOOK_SECRET,
    env.SPONGE_GITLAB_WEBHOOK_TOKEN,
    env.SPONGE_JENKINS_TOKEN,
    env.SPONGE_CDEVENTS_TOKEN,
  ].some((secret) => secret !== undefined);
  const credentialConfigured =
    env.SPONGE_TOKENS.length > 0 || env.SPONGE_GITHUB_OIDC_ALLOW.length > 0 || webhookSecrets;
  if (!loopbackOnly && !credentialConfigured) {
    throw new EnvError(
      `refusing to listen on ${env.HOST} with no credential configured: set SPONGE_TOKENS (for example ` +
        `"write:<secret>"), SPONGE_GITHUB_OIDC_ALLOW, or a webhook secret (SPONGE_GITHUB_WEBHOOK_SECRET, ` +
        "SPONGE_GITLAB_WEBHOOK_TOKEN, SPONGE_JENKINS_TOKEN, SPONGE_CDEVENTS_TOKEN), or listen on 127.0.0.1",
    );
  }

  env.SPONGE_TOKENS.forEach(({ scope, token }, index) => {
    if (token.length < SHORT_TOKEN_LENGTH) {
      log(
        `warning: SPONGE_TOKENS entry ${index + 1} (${scope}) is ${token.length} characters long and easy to guess; ` +
          `use ${SHORT_TOKEN_LENGTH} or more random characters (openssl rand -hex 16)`,
      );
    }
  });

  const store = await Store.open({
    url: env.SPONGE_DATABASE_URL,
    authToken: env.SPONGE_DATABASE_AUTH_TOKEN,
    syncUrl: env.SPONGE_DATABASE_SYNC_URL,
    synchronous: env.SPONGE_DATABASE_SYNCHRONOUS as "FULL" | "NORMAL",
    writeThread: true,
  }).catch((error: unknown) => {
    if (error instanceof DatabaseOpenError) throw new EnvError(`${error.message} (SPONGE_DATABASE_URL)`);
    throw error;
  });
  const config: ReceiverConfig = {
    sponge,
    auth: {
      tokens: env.SPONGE_TOKENS,
      oidc:
        env.SPONGE_GITHUB_OIDC_ALLOW.length > 0
          ? createOidcVerifier({
              issuer: env.SPONGE_GITHUB_OIDC_ISSUER,
              audience: env.SPONGE_GITHUB_OIDC_AUDIENCE,
              allow: env.SPONGE_GITHUB_OIDC_ALLOW,
              store,
            })
          : undefined,
      webhookSecrets,
      publicRead: env.SPONGE_PUBLIC_READ,
    },
    maxBodyBytes: env.SPONGE_MAX_BODY_BYTES,
    maxLogBytes: Math.max(BODY_LIMITS.logs, env.SPONGE_MAX_BODY_BYTES),
    maxWebhookBytes: BODY_LIMITS.webhooks,
    releaseTimeoutMs: env.SPONGE_RELEASE_TIMEOUT,
    loopbackOnly,
    webhooks: {
      githubSecret: env.SPONGE_GITHUB_WEBHOOK_SECRET,
      gitlabToken: env.SPONGE_GITLAB_WEBHOOK_TOKEN,
      jenkinsToken: env.SPONGE_JENKINS_TOKEN,
      cdeventsToken: env.SPONGE_CDEVENTS_TOKEN,
    },
  };
  const { app, context } = createApp({ store, config, processMetrics: true });

  const sweep = async () => {
    try {
      const expired = await expireStaleReleases(
        store,
        sponge,
        new Date(),
        config.releaseTimeoutMs,
        (id, error) =>
          log(`could not end stale release ${id}: ${error instanceof Error ? error.message : String(error)}`),
      );
      if (expired > 0) {
        log(
          `expired ${expired} release(s) still queued or running after ${formatDuration(env.SPONGE_RELEASE_TIMEOUT)}`,
        );
      }
    } catch (error) {
      log(`stale-release sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const pruned = await pruneOldDeliveries(store, new Date(), env.SPONGE_DELIVERY_RETENTION);
      if (pruned > 0)
        log(
          `deleted ${pruned} webhook deliveries older than ${formatDuration(env.SPONGE_DELIVERY_RETENTION)}`,
        );
    } catch (error) {
      log(`delivery retention sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  timer.unref();

  const open = (await context.auth.isOpen()) && loopbackOnly;
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });
  try {
    await listening(server, env.HOST, env.PORT);
  } catch (error) {
    clearInterval(timer);
    await store.close();
    throw error;
  }
  server.on("error", (error) => log(`server error: ${error.message}`));
  if (open) log("no credential configured: writes are open to requests from this machine (loopback) only");
  const info = server.address() as AddressInfo;
  log(
    `listening on http://${hostPort(info.address, info.port)} (database ${redactUrl(env.SPONGE_DATABASE_URL)})`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing in-flight requests`);
    clearInterval(timer);
    server.close(async () => {
      await store.close();
      log("stopped");
      process.exit(0);
    });
    // Idle keep-alive connections would hold close() open.
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

function log(message: string): void {
  console.log(`[sponge] ${message}`);
}

/** Database URLs may carry credentials in their userinfo or query; never print them. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@").replace(/([?&](auth|token|authToken)=)[^&]*/gi, "$1***");
}

main().catch((error: unknown) => {
  console.error(`[sponge] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
