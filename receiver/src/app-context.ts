import type { HttpBindings } from "@hono/node-server";
import type { SpongeConfig } from "@sponge/core";
import type { Authenticator, AuthSettings } from "./auth/authenticator.js";
import type { Principal } from "./auth/principal.js";
import type { Metrics } from "./http/metrics.js";
import type { Clock, Store } from "./store/store.js";

/** Receiver settings: the config file plus what the environment says (see env.ts). */
export interface ReceiverConfig {
  sponge: SpongeConfig;
  auth: AuthSettings;
  /** API request bodies (`SPONGE_MAX_BODY_BYTES`, default 1 MiB). */
  maxBodyBytes: number;
  /** Log uploads (5 MiB). */
  maxLogBytes: number;
  /** Webhook deliveries (25 MiB, GitHub's own cap). */
  maxWebhookBytes: number;
  /** `SPONGE_RELEASE_TIMEOUT`: a `running` release older than this is cancelled. */
  releaseTimeoutMs: number;
  /** Whether the server listens on loopback only (open writes are allowed only then). */
  loopbackOnly: boolean;
  webhooks: {
    githubSecret?: string | undefined;
    gitlabToken?: string | undefined;
    jenkinsToken?: string | undefined;
    cdeventsToken?: string | undefined;
  };
}

/** Everything a route needs, built once by createApp. */
export interface AppContext {
  store: Store;
  config: ReceiverConfig;
  clock: Clock;
  auth: Authenticator;
  metrics: Metrics;
  now(): string;
}

/** Hono environment: node-server bindings (absent under app.request) and per-request variables. */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    principal: Principal | undefined;
    /** The route's body size limit, set by `limitBody` (http/request-body.ts). */
    bodyLimit: number | undefined;
    /** The body once read, so that a second read gets the same text. */
    bodyText: string | undefined;
  };
}
