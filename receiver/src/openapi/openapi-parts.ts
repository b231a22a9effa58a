import { z } from "zod";

/** Building blocks shared by every module that describes its routes in the OpenAPI document. */

/** The JSON schema of a zod schema's input side, as OpenAPI 3.0 expects it. */
export const toSchema = (type: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(type, { io: "input", unrepresentable: "any", target: "openapi-3.0" }) as Record<
    string,
    unknown
  >;

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
