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

/**
 * How deeply a JSON body may nest. Real payloads (GitHub's included) stay under 15 levels; far deeper values
 * would overflow the stack of whatever walks them next (validation, a worker's structured clone, stringify).
 */
export const MAX_JSON_DEPTH = 64;

/** Parses a request body's JSON; malformed or too deeply nested JSON is a 400 that says which. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    // A byte order mark (Windows editors, PowerShell) is not JSON, but it is not a mistake either.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw badRequest(`malformed JSON: ${error instanceof Error ? error.message : "cannot parse"}`);
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
    throw badRequest(`JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}

/** Whether arrays and objects nest more than `levels` deep; stops at the first branch that does. */
function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestedDeeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (nestedDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  }
  return false;
}

/** Validates a value; issues become a 422 naming each field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw unprocessable(describeIssues(result.error));
  return result.data;
}
