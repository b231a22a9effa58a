import { type CurrentVersion, createClient, type SpongeClient, SpongeError } from "@sponge/client";
import type { ActionInputs } from "./inputs.js";
import { VERSION } from "./version.js";

/**
 * The Sponge client for one step: per-request timeout `timeout-seconds`, `retries` retries
 * with backoff on network errors, timeouts, 429 and 5xx (writes carry an idempotency key,
 * so a retry never makes a second release).
 *
 * @example const sponge = receiverClient(inputs, token);
 */
export function receiverClient(inputs: ActionInputs, token: string): SpongeClient {
  return createClient({
    url: inputs.url,
    token,
    timeoutMs: inputs.timeoutMs,
    retries: inputs.retries,
    userAgent: `sponge-action/${VERSION}`,
  });
}

/**
 * The version of a package that runs in an environment now, or undefined when it was never
 * deployed there (404). Any other failure is thrown: the receiver is not answering properly.
 *
 * @example (await currentVersion(sponge, "api", "production"))?.commit
 */
export async function currentVersion(
  client: SpongeClient,
  packageName: string,
  environment: string,
): Promise<CurrentVersion | undefined> {
  try {
    return await client.current(packageName, environment);
  } catch (error) {
    if (error instanceof SpongeError && error.status === 404) return undefined;
    throw error;
  }
}

/** The release's page on the receiver's dashboard (`GET /releases/:id`). */
export function releaseUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/releases/${encodeURIComponent(id)}`;
}
