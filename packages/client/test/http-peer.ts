import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** A request as the peer received it. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Milliseconds since the peer started. */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** JSON-encoded unless it is a string. */
  body?: unknown;
  /** Wait this long before answering (to outlast a client's timeout). */
  delayMs?: number;
}

export interface Peer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port that records each request and answers
 * what `answer` says for it (`index` counts requests from 0).
 */
export async function startPeer(answer: (request: Received, index: number) => Answer): Promise<Peer> {
  const started = Date.now();
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now() - started,
      };
      const index = received.push(request) - 1;
      const reply = answer(request, index);
      const send = () => {
        const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? null);
        const type = typeof reply.body === "string" ? "text/html" : "application/json";
        res.writeHead(reply.status, { "content-type": type, ...reply.headers });
        res.end(reply.status === 204 ? undefined : body);
      };
      if (reply.delayMs === undefined) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send();
      }, reply.delayMs);
      timers.add(timer);
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no TCP port");
  return address.port;
}

/** A port on 127.0.0.1 with nothing listening (it was free a moment ago). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A release as the receiver documents it, for the peer to answer with. */
export function releaseJson(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "0190f5d2-7c1e-7a4b-9a51-3c2f8e1d0a01",
    key: null,
    status: "running",
    environment: "production",
    platforms: [],
    notes: [],
    references: [],
    person: null,
    team: null,
    source: "cli",
    repository: null,
    commit: null,
    ref: null,
    url: null,
    started_at: "2025-01-01T10:00:00.000Z",
    finished_at: null,
    duration_ms: null,
    lead_time_ms: null,
    rollback: false,
    metadata: {},
    ci: null,
    inferred: {},
    packages: [],
    hosts: [],
    commits: [],
    created_at: "2025-01-01T10:00:00.000Z",
    updated_at: "2025-01-01T10:00:00.000Z",
    ...fields,
  };
}
