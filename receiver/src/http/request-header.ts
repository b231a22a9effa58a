import { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { AppEnv } from "../app-context.js";

/**
 * A request header (`name` in lower case), repeated values joined with ", " as the Fetch standard's
 * `Headers` does. Under @hono/node-server it is looked up in Node's raw header list: `c.req.header()`
 * would first build a `Headers` object from every header of the request, which cost a badge request
 * about a sixth of its time. Elsewhere (`app.request` in tests) it asks Hono.
 */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!(incoming instanceof IncomingMessage)) return c.req.header(name);
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i] as string;
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const next = raw[i + 1] as string;
    value = value === undefined ? next : `${value}, ${next}`;
  }
  return value;
}
