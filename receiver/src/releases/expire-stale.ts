import { type Host, isTerminal, type ReleaseInput, rollupStatus, type SpongeConfig } from "@sponge/core";
import { loadById } from "../store/release-rows.js";
import type { Store } from "../store/store.js";
import { updateRelease } from "./release-writer.js";

/**
 * Ends releases still `queued` or `running` when `timeoutMs` has passed both since they started and since
 * they were last written (one that keeps getting events, such as a deployment waiting for approval, is
 * alive): a runner that crashed never finishes its release, a queued job may never start, and the
 * original Sponge API has no call that ends one. A release whose hosts all reported an outcome ends with
 * theirs (failed when one failed) at the last host's finish, marked `metadata.settled_by_hosts = true`;
 * any other is `cancelled` with `metadata.expired = true`, which a later real outcome still replaces.
 * Returns how many were ended.
 */
export async function expireStaleReleases(
  store: Store,
  config: SpongeConfig,
  now: Date,
  timeoutMs: number,
  onError: (id: string, error: unknown) => void = () => {},
): Promise<number> {
  const cutoff = new Date(now.getTime() - timeoutMs).toISOString();
  const stale = await store.reader.all<{ id: string }>(
    "SELECT id FROM releases WHERE status IN ('queued', 'running') AND started_at < ? AND updated_at < ? ORDER BY started_at LIMIT 1000",
    [cutoff, cutoff],
  );
  let expired = 0;
  for (const { id } of stale) {
    try {
      await store.write(async (sql) => {
        // Checked again in the write: an event may have arrived since the list was read.
        const stored = await loadById(sql, id);
        if (!stored || isTerminal(stored.release.status)) return;
        if (stored.release.started_at >= cutoff || stored.release.updated_at >= cutoff) return;
        const input = outcome(stored.release.hosts, now.toISOString());
        await updateRelease(sql, { config, now: now.toISOString() }, id, input, false);
        expired++;
      });
    } catch (error) {
      // One release that cannot be ended must not keep every other from ending.
      onError(id, error);
    }
  }
  return expired;
}

function outcome(hosts: readonly Host[], now: string): ReleaseInput {
  const statuses = hosts.map((host) => host.status);
  if (hosts.length === 0 || !statuses.every(isTerminal)) {
    return { status: "cancelled", metadata: { expired: true }, extra: {} };
  }
  const finished = hosts
    .map((host) => host.finished_at)
    .filter((at): at is string => at !== null && at <= now);
  return {
    status: rollupStatus(statuses),
    ...(finished.length > 0 ? { finished_at: finished.reduce((a, b) => (a > b ? a : b)) } : {}),
    metadata: { settled_by_hosts: true },
    extra: {},
  };
}
