import { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-context.js";
import { ApiError, unavailable } from "../errors.js";
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
 * Bytes held, across all requests at once, by bodies that cannot be checked before they are read whole
 * (GitHub's signature covers the whole body). Without a bound, anyone could make the receiver hold
 * 25 MiB per connection with bodies that will be refused. Each body's first `small` bytes count against
 * a pool of their own (`smallCapacity`), the rest against `capacity`: ordinary deliveries (tens of
 * kilobytes) are not refused because a few large ones stall, and many stalled small ones are bounded too.
 * Past either bound, a body is refused with 503 (`Retry-After`) while it is read.
 *
 * @example
 * const held = new BodyBudget({ capacity: 100 * MiB, small: MiB, smallCapacity: 32 * MiB });
 * const release = held.reserve(); await bodyText(c, release.take); … release.end();
 */
export class BodyBudget {
  private used = 0;
  private smallUsed = 0;
  constructor(private readonly limits: { capacity: number; small: number; smallCapacity: number }) {}

  /** A reservation that grows with each chunk (`take`) and is given back once (`end`). */
  reserve(): { take: (bytes: number) => void; end: () => void } {
    let held = 0;
    let heldSmall = 0;
    return {
      take: (bytes) => {
        const small = Math.min(bytes, Math.max(0, this.limits.small - heldSmall));
        const large = bytes - small;
        if (this.smallUsed + small > this.limits.smallCapacity || this.used + large > this.limits.capacity) {
          throw unavailable("too many unverified webhook bodies are being read at once; retry shortly");
        }
        this.smallUsed += small;
        heldSmall += small;
        this.used += large;
        held += large;
      },
      end: () => {
        this.used -= held;
        this.smallUsed -= heldSmall;
        held = 0;
        heldSmall = 0;
      },
    };
  }
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
 * stream is read, with the same limit. `onChunk` hears of every chunk kept, and may refuse it by throwing.
 */
export async function bodyText(c: Context<AppEnv>, onChunk?: (bytes: number) => void): Promise<string> {
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
    onChunk,
  );
  c.set("bodyText", text);
  return text;
}

/** Node's request and a web stream both iterate as byte chunks. */
async function readLimited(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit: number,
  onChunk: ((bytes: number) => void) | undefined,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    onChunk?.(chunk.length);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
