import {
  type AdapterResult,
  decodeCloudEvent,
  mapCdevent,
  mapGitHub,
  mapGitLab,
  mapJenkins,
} from "@sponge/adapters";
import type { SpongeConfig } from "@sponge/core";
import { z } from "zod";
import { ApiError } from "../errors.js";
import type { Provider } from "../store/deliveries.js";
import { asApiError, bodyDigest, parseWebhookJson } from "./webhook-body.js";

/** One delivery as far as it could be understood: its id and event always, then a result or an error. */
export interface DecodedDelivery {
  deliveryId: string;
  event: string;
  result?: AdapterResult;
  error?: ApiError;
}

const jenkinsPhase = z.object({ build: z.object({ phase: z.string().trim().min(1).max(100) }) });
const MAX_ID = 500;

/**
 * Parses a delivery's body and runs the provider's adapter. The delivery id identifies a redelivery:
 * - GitHub `X-GitHub-Delivery` (kept by GitHub's "Redeliver");
 * - GitLab `Idempotency-Key` (stable across retries, 17.4+), else `X-Gitlab-Event-UUID`;
 * - Jenkins the release key and phase (`jenkins:ci.acme.io/deploy:18#COMPLETED`): the plugin sends none;
 * - CloudEvents `id@source#type`: the spec makes source and id unique, and the type keeps apart events of
 *   producers that reuse an id across event types (the CDEvents conformance examples do);
 * and the body's SHA-256 when none of these is known.
 * Payload problems (malformed JSON, not an object, not a CloudEvent, a payload the adapter cannot map) come
 * back as `error`, never thrown.
 *
 * @example decodeDelivery("gitlab", headers, body, config).result?.kind // "release"
 */
export function decodeDelivery(
  provider: Provider,
  headers: Headers,
  body: string,
  config: SpongeConfig,
): DecodedDelivery {
  const header = (name: string) => clip(headers.get(name));
  const contentType = headers.get("content-type") ?? "";
  const delivery: DecodedDelivery = { deliveryId: bodyDigest(body), event: "unknown" };
  try {
    switch (provider) {
      case "github": {
        delivery.deliveryId = header("x-github-delivery") ?? delivery.deliveryId;
        const event = header("x-github-event") ?? "";
        delivery.event = event || "unknown";
        delivery.result = mapGitHub(event, parseWebhookJson(contentType, body, { form: true }), config);
        break;
      }
      case "gitlab": {
        delivery.deliveryId =
          header("idempotency-key") ?? header("x-gitlab-event-uuid") ?? delivery.deliveryId;
        const event = header("x-gitlab-event") ?? "";
        delivery.event = event || "unknown";
        delivery.result = mapGitLab(event, parseWebhookJson(contentType, body), config);
        break;
      }
      case "jenkins": {
        const payload = parseWebhookJson(contentType, body);
        const phase = jenkinsPhase.safeParse(payload);
        if (phase.success) delivery.event = phase.data.build.phase.toUpperCase();
        delivery.result = mapJenkins(payload, config);
        if (delivery.result.kind === "release") {
          delivery.deliveryId = `${delivery.result.key}#${delivery.event}`.slice(0, MAX_ID);
        }
        break;
      }
      case "cdevents": {
        delivery.event = header("ce-type") ?? delivery.event;
        const cloudEvent = decodeCloudEvent(
          Object.fromEntries(headers.entries()),
          parseWebhookJson(contentType, body),
        );
        delivery.event = cloudEvent.type.slice(0, MAX_ID);
        delivery.deliveryId = `${cloudEvent.id}@${cloudEvent.source}#${cloudEvent.type}`.slice(0, MAX_ID);
        delivery.result = mapCdevent(cloudEvent, config);
        break;
      }
    }
  } catch (error) {
    // An adapter that trips over a payload is a bug, but the provider must not see a 500 (it would retry
    // forever) and the delivery must not be lost: it is logged as an error and can be replayed once fixed.
    delivery.error =
      asApiError(error) ??
      new ApiError(
        422,
        "unprocessable_payload",
        `the ${provider} payload could not be mapped: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
  return delivery;
}

function clip(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, MAX_ID) : undefined;
}
