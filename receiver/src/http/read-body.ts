import { describeIssues } from "@sponge/core";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-context.js";
import { ApiError, badRequest, unprocessable } from "../errors.js";
import { bodyText } from "./request-body.js";
import { requestHeader } from "./request-header.js";

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * Reads and validates a JSON body. An empty body counts as `empty` (no field is required anywhere).
 * curl's `-d` sends `application/x-www-form-urlencoded`; a JSON body with that type is accepted so the
 * original Sponge scripts keep working. Other content types get 415.
 */
export async function readJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  empty: unknown = {},
): Promise<z.output<S>> {
  const type = requestHeader(c, "content-type") ?? "";
  const text = await bodyText(c);
  let value: unknown = empty;
  if (text.trim() !== "") {
    const formLike =
      type === "" || /^application\/x-www-form-urlencoded\b/i.test(type) || /^text\/plain\b/i.test(type);
    if (!JSON_TYPE.test(type) && !(formLike && /^\s*[[{]/.test(text))) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        `expected Content-Type: application/json, got ${type || "none"}`,
      );
    }
    value = parseJson(text);
  } else if (type && !JSON_TYPE.test(type) && !/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", `expected Content-Type: application/json, got ${type}`);
  }
  return validate(schema, value);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`malformed JSON: ${error instanceof Error ? error.message : "cannot parse"}`);
  }
}

/** Validates a value; issues become a 422 naming each field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw unprocessable(describeIssues(result.error));
  return result.data;
}
