import {
  finishInput,
  hostList,
  logInput,
  packageList,
  releaseInput,
  seedResultInput,
  tokenCreateInput,
} from "@sponge/core";
import type { z } from "zod";
import {
  errorResponse,
  errorResponses,
  jsonResponse,
  queryParameters,
  readSecurity,
  tokenSecurity,
  toSchema,
} from "./openapi/openapi-parts.js";
import { listQuery, logsQuery } from "./routes/release-routes.js";

const schema = toSchema;
const json = jsonResponse;
const body = (type: z.ZodType) => ({
  required: false,
  content: { "application/json": { schema: schema(type) } },
});
const errors = errorResponses;
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const writeSecurity = tokenSecurity;

/**
 * The OpenAPI document, generated from the same zod schemas that validate requests, so the two cannot
 * drift apart. Routes added by other modules register their paths through `extraPaths`.
 */
export function openApiDocument(extraPaths: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    openapi: "3.0.3",
    info: {
      title: "Sponge",
      version: "0.1.0",
      description:
        'Records every deployment and answers what runs where. Errors are {"error":{code,message,details?}}.',
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {
      "/api/releases": {
        post: {
          summary: "Record a release (201), or merge into the release with the same key (200)",
          security: writeSecurity,
          requestBody: body(releaseInput),
          responses: {
            "201": json("Created"),
            "200": json("Merged into an existing release"),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
        get: {
          summary: "List releases, newest first, with filters and cursor pagination",
          security: readSecurity,
          parameters: queryParameters(listQuery),
          responses: { "200": json("A page of releases and next_cursor"), ...errors(401, 422) },
        },
      },
      "/api/releases/{id}": {
        parameters: [idParam],
        get: {
          summary: "One release",
          security: readSecurity,
          responses: { "200": json("The release"), ...errors(401, 404) },
        },
        patch: {
          summary: "Change a release; may correct a terminal status (recorded in metadata.status_changes)",
          security: writeSecurity,
          requestBody: body(releaseInput),
          responses: { "200": json("The release"), ...errors(400, 401, 403, 404, 413, 415, 422) },
        },
      },
      "/api/releases/{id}/finish": {
        parameters: [idParam],
        post: {
          summary: "Finish a release (status defaults to succeeded)",
          security: writeSecurity,
          requestBody: body(finishInput),
          responses: { "200": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/api/releases/{id}/packages": {
        parameters: [idParam],
        post: {
          summary: "Add packages (one, an array, or name@version strings)",
          security: writeSecurity,
          requestBody: body(packageList),
          responses: { "201": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/api/releases/{id}/packages/{name}": {
        parameters: [idParam, { name: "name", in: "path", required: true, schema: { type: "string" } }],
        patch: {
          summary: "Change one package (URL-encode names with /)",
          security: writeSecurity,
          responses: { "200": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/api/releases/{id}/hosts": {
        parameters: [idParam],
        post: {
          summary: "Record per-host results",
          security: writeSecurity,
          requestBody: body(hostList),
          responses: { "201": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/api/releases/{id}/logs": {
        parameters: [idParam],
        post: {
          summary: "Append log lines (text/plain lines or JSON entries); 5 MiB limit",
          security: writeSecurity,
          requestBody: {
            content: {
              "application/json": { schema: schema(logInput) },
              "text/plain": { schema: { type: "string" } },
            },
          },
          responses: {
            "201": json("How many lines were stored"),
            ...errors(400, 401, 403, 404, 413, 415, 422),
          },
        },
        get: {
          summary: "Read log lines in order, a page at a time",
          description:
            "`next_after` is the id of the page's last line when more lines follow (pass it as `after`), else null.",
          security: readSecurity,
          parameters: queryParameters(logsQuery),
          responses: { "200": json("Log lines and next_after"), ...errors(401, 404, 422) },
        },
      },
      "/api/tokens": {
        post: {
          summary: "Create an API token (shown once)",
          security: writeSecurity,
          requestBody: body(tokenCreateInput),
          responses: { "201": json("The token"), ...errors(401, 403, 422) },
        },
        get: {
          summary: "List tokens (never their values)",
          security: writeSecurity,
          responses: { "200": json("Tokens") },
        },
      },
      "/api/tokens/{id}": {
        parameters: [idParam],
        delete: {
          summary: "Revoke a token",
          security: writeSecurity,
          responses: { "204": { description: "Revoked" }, ...errors(404) },
        },
      },
      "/release": {
        post: {
          summary:
            "Original Sponge API: record a release (201), or merge into the one with the same key (200)",
          security: writeSecurity,
          requestBody: body(releaseInput),
          responses: {
            "201": json("The release"),
            "200": json("Merged into an existing release"),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
      },
      "/release/{id}/packages": {
        parameters: [idParam],
        post: {
          summary: "Original Sponge API: add packages",
          security: writeSecurity,
          requestBody: body(packageList),
          responses: { "201": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/results": {
        post: {
          summary: "Original Sponge API: a host's result",
          security: writeSecurity,
          requestBody: body(seedResultInput),
          responses: { "201": json("The release"), ...errors(400, 401, 403, 404, 422) },
        },
      },
      "/healthz": { get: { summary: "Liveness", responses: { "200": json("ok") } } },
      "/readyz": {
        get: {
          summary: "Readiness: the database answers",
          responses: { "200": json("ready"), "503": errorResponse },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          responses: { "200": { description: "text/plain exposition format" } },
        },
      },
      ...extraPaths,
    },
  };
}
