import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../src/app-context.js";
import { ApiError } from "../src/errors.js";
import { bodyText, limitBody } from "../src/http/request-body.js";
import { requestHeader } from "../src/http/request-header.js";

/** Echoes the body's length in characters and whether a second read saw the same text. */
function app(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/small", limitBody(16), async (c) => {
    const first = await bodyText(c);
    const again = await bodyText(c);
    return c.json({ text: first, same: first === again });
  });
  app.get("/header", (c) =>
    c.json({ multi: requestHeader(c, "x-multi") ?? null, missing: requestHeader(c, "x-missing") ?? null }),
  );
  app.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ code: error.code, message: error.message }, error.status)
      : c.text("boom", 500),
  );
  return app;
}

/** A body sent in the given pieces, without Content-Length (chunked). */
function stream(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

const euro = Buffer.from("€"); // three bytes

describe("request bodies under app.request (web streams)", () => {
  it("reads the text once and hands the same text to a second read", async () => {
    const res = await app().request("/small", { method: "POST", body: "hello" });
    expect(await res.json()).toEqual({ text: "hello", same: true });
  });

  it("refuses a declared Content-Length over the limit, and a streamed body once it passes the limit", async () => {
    const declared = await app().request("/small", {
      method: "POST",
      body: "x".repeat(17),
      headers: { "content-length": "17" },
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      code: "payload_too_large",
      message: "the request body is larger than 16 bytes",
    });
    const streamed = await app().request("/small", {
      method: "POST",
      body: stream([Buffer.from("x".repeat(10)), Buffer.from("x".repeat(10))]),
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
  });

  it("decodes a character split across chunks", async () => {
    const res = await app().request("/small", {
      method: "POST",
      body: stream([euro.subarray(0, 1), euro.subarray(1)]),
      duplex: "half",
    });
    expect(await res.json()).toEqual({ text: "€", same: true });
  });
});

describe("request bodies under @hono/node-server (the Node request stream)", () => {
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app().fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `pieces` chunked (no Content-Length), each written separately. */
  const post = (pieces: Buffer[]) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/small",
          method: "POST",
          headers: { "transfer-encoding": "chunked" },
        },
        (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      for (const piece of pieces) req.write(piece);
      req.end();
    });

  it("reads a chunked body, a character split across chunks included", async () => {
    const res = await post([Buffer.from("a"), euro.subarray(0, 2), euro.subarray(2), Buffer.from("b")]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ text: "a€b", same: true });
  });

  it("reads headers from Node's raw list: any case, repeated values joined like Fetch's Headers", async () => {
    const res = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/header",
          // Raw header pairs: sent as given, the name twice in different cases.
          headers: ["Host", `127.0.0.1:${port}`, "X-Multi", "a", "x-multi", "b"],
        },
        (response) => {
          let body = "";
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () => resolve(body));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(res)).toEqual({ multi: "a, b", missing: null });
    // The same answer from Hono's own Headers under app.request.
    const viaHono = await app().request("/header", {
      headers: [
        ["X-Multi", "a"],
        ["x-multi", "b"],
      ],
    });
    expect(await viaHono.json()).toEqual({ multi: "a, b", missing: null });
  });

  it("refuses a chunked body once it passes the limit", async () => {
    const res = await post([Buffer.from("x".repeat(10)), Buffer.from("x".repeat(10))]);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: "payload_too_large" });
  });
});
