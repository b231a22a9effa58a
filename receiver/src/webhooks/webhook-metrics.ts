import { Counter, type Registry } from "prom-client";

/** `sponge_webhook_deliveries_total{provider,outcome}`: every delivery, refused ones (401) included. */
export function webhookCounter(registry: Registry): Counter<"provider" | "outcome"> {
  return new Counter({
    name: "sponge_webhook_deliveries_total",
    help: "Webhook deliveries by provider and outcome (created, updated, ignored, duplicate, ping, error, refused).",
    labelNames: ["provider", "outcome"] as const,
    registers: [registry],
  });
}
