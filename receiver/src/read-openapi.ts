import {
  errorResponses as errors,
  jsonResponse as json,
  queryParameters,
  readSecurity,
  tokenSecurity,
} from "./openapi/openapi-parts.js";
import { badgeQuery } from "./routes/badge-routes.js";
import { doraQuery } from "./routes/dora-routes.js";
import {
  compareQuery,
  currentQuery,
  environmentsQuery,
  hostQuery,
  packagesQuery,
} from "./routes/read-routes.js";
import { removalsQuery } from "./routes/removal-routes.js";

const nullable = (type: string) => ({ type, nullable: true });
const packageParam = {
  name: "name",
  in: "path",
  required: true,
  description: "Package name; URL-encode `/` and `@` (`%40acme%2Fapi`)",
  schema: { type: "string" },
};

const currentVersion = {
  type: "object",
  properties: {
    package: { type: "string" },
    environment: { type: "string" },
    version: nullable("string"),
    release_id: { type: "string" },
    deployed_at: { type: "string", format: "date-time" },
    person: nullable("string"),
    team: nullable("string"),
    commit: nullable("string"),
  },
};

const doraFigures = {
  deployment_frequency: {
    type: "object",
    properties: { deployments: { type: "integer" }, per_day: { type: "number" } },
  },
  lead_time: {
    type: "object",
    properties: { releases: { type: "integer" }, median_ms: nullable("number"), p90_ms: nullable("number") },
  },
  change_failure_rate: {
    type: "object",
    properties: { failures: { type: "integer" }, finished: { type: "integer" }, rate: nullable("number") },
  },
  time_to_restore: {
    type: "object",
    properties: {
      failures: { type: "integer" },
      restored: { type: "integer" },
      median_ms: nullable("number"),
    },
  },
};

const badgeResponses = (format: "svg" | "json") => ({
  "200": {
    description:
      "The badge (also for a package never deployed there: grey, `not deployed`). Strong ETag; Cache-Control max-age=60",
    content:
      format === "svg"
        ? { "image/svg+xml": { schema: { type: "string" } } }
        : {
            "application/json": {
              schema: {
                type: "object",
                description: "shields.io endpoint schema",
                properties: {
                  schemaVersion: { type: "integer", enum: [1] },
                  label: { type: "string" },
                  message: { type: "string" },
                  color: { type: "string" },
                  style: { type: "string" },
                },
              },
            },
          },
  },
  "304": { description: "If-None-Match matched the ETag" },
  ...errors(401, 404, 422),
});

/**
 * OpenAPI paths of the read API, badges and DORA metrics, generated from the zod schemas that validate
 * their query strings.
 */
export function readOpenApiPaths(): Record<string, unknown> {
  return {
    "/api/packages": {
      get: {
        summary: "Every package with its current version per environment",
        security: readSecurity,
        parameters: queryParameters(packagesQuery),
        responses: {
          "200": json("Packages by name; `environments` maps an environment to its current version"),
          ...errors(401, 422),
        },
      },
    },
    "/api/packages/{name}/current": {
      parameters: [packageParam],
      get: {
        summary: "The current version of a package in an environment (default: the configured default)",
        security: readSecurity,
        parameters: queryParameters(currentQuery),
        responses: {
          "200": json("The latest succeeded deployment by finish time", currentVersion),
          ...errors(401, 404, 422),
        },
      },
      delete: {
        summary:
          "Record that the package was taken out of the environment: no current version there until a later deployment; history stays",
        security: tokenSecurity,
        parameters: queryParameters(currentQuery),
        responses: {
          "200": json("What was current, and when it was removed", {
            type: "object",
            properties: {
              package: { type: "string" },
              environment: { type: "string" },
              removed_at: { type: "string", format: "date-time" },
              version: nullable("string"),
              release_id: { type: "string" },
            },
          }),
          ...errors(401, 403, 404, 422),
        },
      },
    },
    "/api/removals": {
      get: {
        summary: "Every removal of a package from an environment, newest first",
        security: readSecurity,
        parameters: queryParameters(removalsQuery),
        responses: {
          "200": json("A page of removals", {
            type: "object",
            properties: {
              removals: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    package: { type: "string" },
                    environment: { type: "string" },
                    removed_at: { type: "string", format: "date-time" },
                    source: { type: "string", enum: ["cdevents", "api"] },
                    service: nullable("string"),
                    version: nullable("string"),
                    release_id: { type: "string" },
                  },
                },
              },
              next_cursor: nullable("string"),
            },
          }),
          ...errors(401, 422),
        },
      },
    },
    "/api/environments": {
      get: {
        summary: "Configured and seen environments with tier, package count and latest activity",
        security: readSecurity,
        parameters: queryParameters(environmentsQuery),
        responses: { "200": json("Environments by name"), ...errors(401, 422) },
      },
    },
    "/api/hosts/{name}": {
      parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
      get: {
        summary: "What succeeded on a host per package, and its latest deployments",
        security: readSecurity,
        parameters: queryParameters(hostQuery),
        responses: { "200": json("The host"), ...errors(401, 404, 422) },
      },
    },
    "/api/compare": {
      get: {
        summary: "Environment drift: what `from` deployed that `to` does not run yet",
        security: readSecurity,
        description:
          "Succeeded deployments of the package in `from` after the latest deployment there of the version `to` runs (see docs/read-api.md).",
        parameters: queryParameters(compareQuery, ["package", "from"]),
        responses: {
          "200": json(
            "Both current versions, the anchor, the releases ahead and their versions, commits and references",
          ),
          ...errors(401, 422),
        },
      },
    },
    "/api/metrics/dora": {
      get: {
        summary: "DORA metrics of one environment or a tier over [from, to), in total and per interval",
        security: readSecurity,
        description: "Definitions: docs/metrics.md. Default window: the 30 days before now.",
        parameters: queryParameters(doraQuery),
        responses: {
          "200": json("Totals and series", {
            type: "object",
            properties: {
              scope: { type: "object" },
              from: { type: "string", format: "date-time" },
              to: { type: "string", format: "date-time" },
              interval: { type: "string", enum: ["day", "week", "month"] },
              ...doraFigures,
              series: {
                type: "array",
                items: {
                  type: "object",
                  properties: { start: { type: "string" }, end: { type: "string" }, ...doraFigures },
                },
              },
            },
          }),
          ...errors(401, 422),
        },
      },
    },
    "/badge/{name}.svg": {
      parameters: [packageParam],
      get: {
        summary: "SVG badge of a package's current version, coloured by its latest deployment",
        security: readSecurity,
        parameters: queryParameters(badgeQuery),
        responses: badgeResponses("svg"),
      },
    },
    "/badge/{name}.json": {
      parameters: [packageParam],
      get: {
        summary: "The same badge in the shields.io endpoint schema",
        security: readSecurity,
        parameters: queryParameters(badgeQuery),
        responses: badgeResponses("json"),
      },
    },
  };
}
