import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import type { AppContext, AppEnv, ReceiverConfig } from "./app-context.js";
import { Authenticator } from "./auth/authenticator.js";
import { ApiError, quoted } from "./errors.js";
import { Metrics, routeLabel } from "./http/metrics.js";
import { closeIfBodyUnread } from "./http/unread-body.js";
import { readOpenApiPaths } from "./read-openapi.js";
import { badgeRoutes } from "./routes/badge-routes.js";
import { doraRoutes } from "./routes/dora-routes.js";
import { opsRoutes } from "./routes/ops-routes.js";
import { readRoutes } from "./routes/read-routes.js";
import { releaseRoutes } from "./routes/release-routes.js";
import { removalRoutes } from "./routes/removal-routes.js";
import { seedRoutes } from "./routes/seed-routes.js";
import { tokenRoutes } from "./routes/token-routes.js";
import { notFoundPage, uiRoutes } from "./routes/ui-routes.js";
import { webhookRoutes } from "./routes/webhook-routes.js";
import { isBusyError } from "./store/database.js";
import type { Clock, Store } from "./store/store.js";
import { webhookOpenApiPaths } from "./webhooks/webhook-openapi.js";

export interface AppOptions {
  store: Store;
  config: ReceiverConfig;
  clock?: Clock;
  /** Collect process metrics (memory, CPU, event loop) too; the server entry turns this on. */
  processMetrics?: boolean;
  /** Receives unexpected errors (never request bodies or credentials). */
  logError?: (message: string, error: unknown) => void;
}

/**
 * Builds the receiver's Hono app with its IO injected, so every route can be exercised with
 * `app.request()` against a temp-file database and a fixed clock.
 *
 * @example
 * const store = await Store.open({ url: "file:/tmp/sponge.db" });
 * const { app } = createApp({ store, config: receiverConfig() });
 * const res = await app.request("/api/releases", { method: "POST", body: "{}" });
 */
export function createApp(options: AppOptions): { app: Hono<AppEnv>; context: AppContext } {
  const clock = options.clock ?? (() => new Date());
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const context: AppContext = {
    store: options.store,
    config: options.config,
    clock,
    auth: new Authenticator(options.config.auth, options.store, clock),
    metrics,
    now: () => clock().toISOString(),
  };
  options.store.onCommit((batch) => {
    metrics.batches.observe(batch.size);
    metrics.batchWork.observe(batch.workSeconds);
    metrics.batchCommit.observe(batch.commitSeconds);
    if (batch.syncSeconds !== undefined) metrics.batchSync.observe(batch.syncSeconds);
  });
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeLabel(routePath(c));
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.latency.observe({ route }, (performance.now() - started) / 1000);
  });

  app.route(
    "/",
    opsRoutes(context, () => ({ ...readOpenApiPaths(), ...webhookOpenApiPaths() })),
  );
  app.route("/", releaseRoutes(context));
  app.route("/", seedRoutes(context));
  app.route("/", tokenRoutes(context));
  app.route("/", readRoutes(context));
  app.route("/", removalRoutes(context));
  app.route("/", badgeRoutes(context));
  app.route("/", doraRoutes(context));
  app.route("/", uiRoutes(context));
  app.route("/", webhookRoutes(context));

  app.notFound(
    async (c) =>
      (await notFoundPage(context, c)) ??
      c.json(
        { error: { code: "not_found", message: `no route for ${c.req.method} ${quoted(c.req.path)}` } },
        404,
      ),
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      const body = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      };
      return c.json(body, error.status, { ...error.headers, ...closeIfBodyUnread(c) });
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json(
        { error: { code: status === 413 ? "payload_too_large" : "bad_request", message: error.message } },
        status,
        closeIfBodyUnread(c),
      );
    }
    if (isBusyError(error)) {
      return c.json({ error: { code: "unavailable", message: "the database is busy; retry" } }, 503, {
        "Retry-After": "1",
      });
    }
    logError(`unexpected error on ${c.req.method} ${c.req.path}`, error);
    return c.json({ error: { code: "internal", message: "an unexpected error occurred" } }, 500);
  });

  return { app, context };
}
