import { readFileSync } from "node:fs";

/** A write the receiver acknowledged with a 2xx. */
export interface Acknowledged {
  id: string;
  key: string;
  status: number;
}

export interface IngestOptions {
  /** Base URLs to spread the clients over (client i writes to urls[i % urls.length]). */
  urls: readonly string[];
  token: string;
  clients: number;
  /** Prefix of every idempotency key: keys are `${prefix}-${client}-${n}`. */
  prefix: string;
  /** Stop after this many requests per client, or when `stop` resolves, whichever comes first. */
  perClient: number;
  stop?: Promise<unknown>;
  /** Called after every acknowledged write with the count so far. */
  onAcknowledged?: (count: number) => void;
}

export interface IngestResult {
  acknowledged: Acknowledged[];
  /** Answers that were not 2xx, with their status and body (a crash shows as a network error instead). */
  refused: { status: number; body: string }[];
  networkErrors: number;
}

/** A release shaped like a CI job's: two packages, a commit, a reference. */
export function releaseBody(key: string, n: number): string {
  return JSON.stringify({
    key,
    environment: n % 2 ? "production" : "staging",
    status: n % 3 ? "succeeded" : "running",
    repository: "acme/shop",
    commit: n.toString(16).padStart(40, "0"),
    packages: [`api@1.${n}.0`, `web@2.${n % 50}.0`],
    references: [`PAY-${n % 100}`],
  });
}

/**
 * Clients that each POST /api/releases in a loop until `perClient` requests or `stop`. Every 2xx is
 * recorded with the id it returned; a request the receiver never answered (it was killed) counts as a
 * network error and is not acknowledged.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const result: IngestResult = { acknowledged: [], refused: [], networkErrors: 0 };
  let stopped = false;
  void options.stop?.then(() => {
    stopped = true;
  });
  const client = async (index: number) => {
    const url = options.urls[index % options.urls.length];
    for (let n = 0; n < options.perClient && !stopped; n++) {
      const key = `${options.prefix}-${index}-${n}`;
      let res: Response;
      try {
        res = await fetch(`${url}/api/releases`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${options.token}` },
          body: releaseBody(key, n),
        });
      } catch {
        result.networkErrors++;
        return;
      }
      const text = await res.text().catch(() => "");
      if (res.ok) {
        const body = JSON.parse(text) as { id: string; key: string };
        result.acknowledged.push({ id: body.id, key: body.key, status: res.status });
        options.onAcknowledged?.(result.acknowledged.length);
      } else {
        result.refused.push({ status: res.status, body: text });
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return result;
}

/** Resident memory of a process in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
