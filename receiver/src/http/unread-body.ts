import type { Context } from "hono";
import type { AppEnv } from "../app-context.js";

/** How long a connection closed on an unread body keeps discarding what the client still sends. */
const LINGER_MS = 2_000;

/**
 * For an error answered before the request's body was read (a refused token, a body over the limit, a wrong
 * content type): `Connection: close`, so the receiver does not take in the rest of, say, a 200 MB upload, and
 * a lingering close, so the client actually receives the answer.
 *
 * Node.js closes such a connection as soon as the answer is written; bytes the client is still sending then
 * arrive at a closed socket, the kernel answers them with a reset, and a reset can discard the answer before
 * the client has read it (the "lingering close" problem web servers solve the same way). So the socket sends
 * its FIN after the answer and keeps reading and discarding for up to LINGER_MS before it is destroyed.
 *
 * @example return c.json(body, 413, { ...closeIfBodyUnread(c) });
 */
export function closeIfBodyUnread(c: Context<AppEnv>): Record<string, string> {
  const incoming = c.env?.incoming;
  // Only a live Node.js request has the state to look at (tests may pass a partial stand-in).
  if (incoming?.headers === undefined || incoming.complete !== false) return {};
  const length = Number(incoming.headers["content-length"] ?? 0);
  const hasBody = incoming.headers["transfer-encoding"] !== undefined || length > 0;
  const socket = incoming.socket;
  if (!hasBody || typeof socket?.destroySoon !== "function") return {};
  socket.destroySoon = () => {
    socket.end();
    incoming.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  };
  return { Connection: "close" };
}
