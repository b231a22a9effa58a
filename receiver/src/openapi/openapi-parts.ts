import { finalStatus, isTerminal, STATUSES, status } from "@sponge/core";
import { z } from "zod";

/** Building blocks shared by every module that describes its routes in the OpenAPI document. */

/**
 * A status field: one of Sponge's statuses. The API also takes the spellings CI systems use and normalises
 * them, which the description says; the enum lists what a value means once normalised.
 */
const statusSchema = {
  enum: [...STATUSES],
  description:
    "Also takes common spellings (success, failure, in_progress, canceled, …), normalised to these",
};

/** A status a release finishes with (`finish`): the terminal ones, in the same spellings. */
const finalStatusSchema = {
  enum: STATUSES.filter(isTerminal),
  description: "Also takes common spellings (success, failure, canceled, …), normalised to these",
};

/** The JSON schema of a zod schema's input side, as OpenAPI 3.0 expects it. */
export const toSchema = (type: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(type, {
    io: "input",
    unrepresentable: "any",
    target: "openapi-3.0",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === status) Object.assign(jsonSchema, statusSchema);
      if (zodSchema === finalStatus) Object.assign(jsonSchema, finalStatusSchema);
    },
  }) as Record<string, unknown>;

/** A route that needs a token: the bearer token of the scope it needs. */
export const tokenSecurity = [{ bearer: [] }];

/**
 * A read route: public by default, a token when `SPONGE_PUBLIC_READ=false`. The empty requirement makes the
 * token optional, so the viewer at /docs sends it once given and still tries without one.
 */
export const readSecurity = [{}, { bearer: [] }];

/** Query parameters from a zod object schema. */
export function queryParameters(type: z.ZodType, required: readonly string[] = []) {
  const properties = (toSchema(type).properties ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.includes(name),
    schema,
  }));
}

/** The error shape every route answers with. */
export const errorResponse = {
  description: "Error",
  content: {
    "application/json": {
      schema: {
        type: "object",
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
          },
        },
      },
    },
  },
};

/** `{ "404": errorResponse, … }` for the given status codes. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), errorResponse]));

/** A JSON response. */
export const jsonResponse = (description: string, schema: Record<string, unknown> = { type: "object" }) => ({
  description,
  content: { "application/json": { schema } },
});
