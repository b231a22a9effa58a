import { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-context.js";
import { ApiError } from "../errors.js";
import { requestHeader } from "./request-header.js";

/** Bodies of routes that forgot `limitBody` still stop here (the default API limit). */
const FALLBACK_LIMIT = 1024 * 1024;

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    "payload_too_large",
    `the request body is larger than ${maxBytes} bytes`,
    undefined,
    {
      Connection: "close",
    },
  );
}

/**
 * Sets the route's body limit. A declared `Content-Length` over it is refused at once with 413, before
 * any byte of the body is read; a chunked body is counted as `bodyText` reads it.
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const declared = requestHeader(c, "content-length");
    if (
      declared !== undefined &&
      requestHeader(c, "transfer-encoding") === undefined &&
      Number(declared) > maxBytes
    ) {
      throw tooLarge(maxBytes);
    }
    c.set("bodyLimit", maxBytes);
    return next();
  };
}

/**
 * The request body as UTF-8 text, read at most once, refused with 413 as soon as it passes the limit
 * (nothing past the limit is kept). Under @hono/node-server the Node request stream is read directly:
 * `c.req.text()` would first wrap it in a WHATWG Request (an undici Request, a web stream adapter and an
 * AbortController), which measured about 180 µs per request, more than all the rest of a request's
 * handling before the database (docs/performance.md). Elsewhere (`app.request` in tests) the web
 * stream is read, with the same limit.
 */
export async function bodyText(c: Context<AppEnv>): Promise<string> {
  const read = c.get("bodyText");
  if (read !== undefined) return read;
  const limit = c.get("bodyLimit") ?? FALLBACK_LIMIT;
  const incoming = c.env?.incoming;
  const text = await readLimited(
    // Not destroyed when the limit stops the loop: destroying an unfinished request destroys its socket, and
    // the 413 would be lost with it. closeIfBodyUnread (unread-body.ts) closes the connection after the answer.
    incoming instanceof IncomingMessage
      ? incoming.iterator({ destroyOnReturn: false })
      : (c.req.raw.body ?? []),
    limit,
  );
  c.set("bodyText", text);
  return text;
}

/** Node's request and a web stream both iterate as byte chunks. */
async function readLimited(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
