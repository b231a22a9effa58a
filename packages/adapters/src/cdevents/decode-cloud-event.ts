import { WebhookPayloadError } from "../errors.js";
import { cleanText, compact, describeFailure } from "../fields.js";
import type { CloudEvent } from "../types.js";
import { cdeventSchema, structuredCloudEventSchema } from "./schemas.js";

/**
 * Turns an HTTP request into a CloudEvent, see
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md:
 * - structured mode (`Content-Type: application/cloudevents+json`): the body holds the
 *   attributes and `data` (or `data_base64`);
 * - binary mode (`ce-id`, `ce-source`, `ce-type`, `ce-specversion` headers): the body is `data`;
 * - a bare CDEvent posted as `application/json` without `ce-*` headers, as several
 *   producers do: the attributes come from the CDEvent's `context`.
 * Only CloudEvents attributes are kept, never other headers (`Authorization` stays out).
 *
 * @param headers request headers, any case
 * @param body the parsed JSON body
 * @throws {WebhookPayloadError} 415 for batch mode, 400 when the request is none of the above
 * @example decodeCloudEvent({ "content-type": "application/cloudevents+json" }, body).type
 */
export function decodeCloudEvent(headers: Record<string, string | undefined>, body: unknown): CloudEvent {
  const header = lowerCaseHeaders(headers);
  const contentType = (header.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (contentType === "application/cloudevents-batch+json") {
    throw new WebhookPayloadError("CloudEvents batch mode is not supported; send one event per request", {
      status: 415,
      code: "unsupported_media_type",
    });
  }
  if (contentType === "application/cloudevents+json") return structured(body);

  const id = header.get("ce-id");
  const source = header.get("ce-source");
  const type = header.get("ce-type");
  if (id !== undefined || source !== undefined || type !== undefined || header.has("ce-specversion")) {
    if (id === undefined || source === undefined || type === undefined) {
      const missing = [
        ["ce-id", id],
        ["ce-source", source],
        ["ce-type", type],
      ]
        .filter(([, value]) => value === undefined)
        .map(([name]) => name);
      throw new WebhookPayloadError(`binary-mode CloudEvent is missing the ${missing.join(", ")} header`, {
        code: "invalid_cloudevent",
      });
    }
    return withOptional(
      { specversion: header.get("ce-specversion") ?? "1.0", id, source, type, data: body },
      {
        time: header.get("ce-time"),
        subject: header.get("ce-subject"),
        datacontenttype: contentType === "" ? undefined : contentType,
        dataschema: header.get("ce-dataschema"),
      },
    );
  }

  const cdevent = cdeventSchema.safeParse(body);
  if (cdevent.success) {
    const { context, subject } = cdevent.data;
    return withOptional(
      { specversion: "1.0", id: context.id, source: context.source, type: context.type, data: body },
      { time: cleanText(context.timestamp), subject: subject.id, datacontenttype: "application/json" },
    );
  }
  if (isObject(body) && "specversion" in body) return structured(body);
  throw new WebhookPayloadError(
    "expected a CloudEvent: structured mode (Content-Type: application/cloudevents+json), binary mode (ce-id, ce-source, ce-type headers) or a CDEvent body",
    { code: "invalid_cloudevent" },
  );
}

function structured(body: unknown): CloudEvent {
  if (!isObject(body)) {
    throw new WebhookPayloadError("a structured-mode CloudEvent must be a JSON object", {
      status: 422,
      code: "invalid_cloudevent",
    });
  }
  const parsed = structuredCloudEventSchema.safeParse(body);
  if (!parsed.success) {
    throw new WebhookPayloadError(
      `structured-mode CloudEvent is not valid: ${describeFailure(parsed.error.issues)}`,
      {
        status: 422,
        code: "invalid_cloudevent",
      },
    );
  }
  const event = parsed.data;
  const data = event.data !== undefined ? event.data : decodeBase64Json(event.data_base64);
  return withOptional(
    { specversion: event.specversion ?? "1.0", id: event.id, source: event.source, type: event.type, data },
    {
      time: event.time,
      subject: event.subject,
      datacontenttype: event.datacontenttype,
      dataschema: event.dataschema,
    },
  );
}

/** `data_base64` holding JSON; anything else is left for the mapper to ignore. */
function decodeBase64Json(encoded: string | undefined): unknown {
  if (encoded === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    return undefined;
  }
}

function withOptional(
  event: CloudEvent,
  optional: Partial<Record<"time" | "subject" | "datacontenttype" | "dataschema", string | undefined>>,
): CloudEvent {
  return {
    ...event,
    ...compact({
      time: cleanText(optional.time, 1000),
      subject: cleanText(optional.subject, 1000),
      datacontenttype: cleanText(optional.datacontenttype, 1000),
      dataschema: cleanText(optional.dataschema, 1000),
    }),
  };
}

/** Header values are percent-encoded in binary mode (CloudEvents HTTP binding, section 3.1.3.2). */
function lowerCaseHeaders(headers: Record<string, string | undefined>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") continue;
    const lower = name.toLowerCase();
    map.set(lower, lower.startsWith("ce-") ? percentDecode(value.trim()) : value);
  }
  return map;
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
