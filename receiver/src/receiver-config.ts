import { defaultConfig } from "@sponge/core";
import type { ReceiverConfig } from "./app-context.js";
import { BODY_LIMITS } from "./env.js";

/**
 * Receiver settings with every default filled in; `overrides` replace top-level keys.
 *
 * @example createApp({ store, config: receiverConfig({ auth: { tokens: [{ scope: "write", token }], webhookSecrets: false, publicRead: true } }) })
 */
export function receiverConfig(overrides: Partial<ReceiverConfig> = {}): ReceiverConfig {
  return {
    sponge: defaultConfig,
    auth: { tokens: [], webhookSecrets: false, publicRead: true },
    maxBodyBytes: 1024 * 1024,
    maxLogBytes: BODY_LIMITS.logs,
    maxWebhookBytes: BODY_LIMITS.webhooks,
    releaseTimeoutMs: 2 * 60 * 60 * 1000,
    loopbackOnly: true,
    webhooks: {},
    ...overrides,
  };
}
