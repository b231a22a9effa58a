import { errorResponses as errors, queryParameters } from "../openapi/openapi-parts.js";
import { deliveriesQuery } from "../routes/webhook-routes.js";
import { OUTCOMES, PROVIDERS } from "../store/deliveries.js";

const nullable = (type: string) => ({ type, nullable: true });

const receipt = {
  type: "object",
  required: ["status", "delivery", "delivery_id", "event", "release_id"],
  properties: {
    status: { type: "string", enum: OUTCOMES.filter((o) => o !== "error") },
    delivery: { type: "integer", description: "Id of the delivery log row" },
    delivery_id: { type: "string", description: "The provider's delivery id (see docs/api.md)" },
    event: { type: "string" },
    release_id: nullable("string"),
    releases: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          key: nullable("string"),
          outcome: { type: "string", enum: ["created", "updated"] },
        },
      },
    },
    removed: {
      type: "array",
      items: { type: "string" },
      description: "Packages a removal (CDEvents service.removed) took out of the environment",
    },
    reason: { type: "string", description: "Why an ignored event was not used" },
    message: { type: "string" },
    replay_of: { type: "integer" },
  },
};

const delivery = {
  type: "object",
  properties: {
    id: { type: "integer" },
    provider: { type: "string", enum: [...PROVIDERS] },
    delivery_id: { type: "string" },
    event: { type: "string" },
    received_at: { type: "string", format: "date-time" },
    outcome: { type: "string", enum: [...OUTCOMES] },
    release_id: nullable("string"),
    message: nullable("string"),
    headers: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Request headers without credentials",
    },
    replay_of: nullable("integer"),
  },
};

const receiptResponses = {
  "200": { description: "Updated, ping or duplicate", content: { "application/json": { schema: receipt } } },
  "201": { description: "A release was created", content: { "application/json": { schema: receipt } } },
  "202": {
    description: "Ignored: the event is not one Sponge records",
    content: { "application/json": { schema: receipt } },
  },
};

function webhook(summary: string, description: string, security: Record<string, unknown>[]) {
  return {
    post: {
      summary,
      description,
      tags: ["webhooks"],
      security,
      requestBody: {
        required: true,
        content: { "application/json": { schema: { type: "object" } } },
      },
      // 403: an OIDC token (it speaks for one repository); 503: the database is busy, or (GitHub) too many
      // unverified bodies are being read at once.
      responses: { ...receiptResponses, ...errors(400, 401, 403, 413, 415, 422, 503) },
    },
  };
}

const idParam = { name: "id", in: "path", required: true, schema: { type: "integer" } };
const admin = [{ bearer: [] }];

/** OpenAPI paths of the webhook receivers and the delivery log. */
export function webhookOpenApiPaths(): Record<string, unknown> {
  return {
    "/webhooks/github": webhook(
      "GitHub webhook (deployment, deployment_status, workflow_run, ping)",
      "Verified with X-Hub-Signature-256 (SPONGE_GITHUB_WEBHOOK_SECRET) on the raw body. JSON or form-encoded (`payload=`). X-GitHub-Delivery de-duplicates redeliveries.",
      [],
    ),
    "/webhooks/gitlab": webhook(
      "GitLab webhook (Deployment Hook, Pipeline Hook)",
      "X-Gitlab-Token must equal SPONGE_GITLAB_WEBHOOK_TOKEN. Idempotency-Key or X-Gitlab-Event-UUID de-duplicates retries.",
      [],
    ),
    "/webhooks/jenkins": webhook(
      "Jenkins Notification plugin",
      "HTTP Basic (password = SPONGE_JENKINS_TOKEN, from the URL's userinfo) or Bearer.",
      [{ bearer: [] }],
    ),
    "/webhooks/cdevents": webhook(
      "CDEvents as CloudEvents (structured or binary mode)",
      "Authorization: Bearer SPONGE_CDEVENTS_TOKEN. The CloudEvent id and source de-duplicate redeliveries.",
      [{ bearer: [] }],
    ),
    "/api/deliveries": {
      get: {
        summary: "The webhook delivery log, newest first",
        security: admin,
        parameters: queryParameters(deliveriesQuery),
        responses: {
          "200": {
            description: "A page of deliveries; pass next_cursor as cursor for the next",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    deliveries: { type: "array", items: delivery },
                    next_cursor: nullable("string"),
                  },
                },
              },
            },
          },
          ...errors(401, 403, 422),
        },
      },
    },
    "/api/deliveries/{id}": {
      get: {
        summary: "One delivery with its stored body",
        security: admin,
        parameters: [idParam],
        responses: {
          "200": {
            description: "The delivery",
            content: {
              "application/json": {
                schema: { ...delivery, properties: { ...delivery.properties, body: { type: "string" } } },
              },
            },
          },
          ...errors(401, 403, 404, 422),
        },
      },
    },
    "/api/deliveries/{id}/replay": {
      post: {
        summary: "Run a stored delivery through its adapter again (after a config change); merged by key",
        security: admin,
        parameters: [idParam],
        responses: { ...receiptResponses, ...errors(400, 401, 403, 404, 415, 422) },
      },
    },
  };
}
