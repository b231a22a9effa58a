import type { SpongeConfig } from "@sponge/core";
import type { Store } from "../store/store.js";
import { updateRelease } from "./release-writer.js";

/**
 * Cancels releases still `queued` or `running` after `timeoutMs` (a runner that crashed never finishes its
 * release; a queued job may never start), marking them `metadata.expired = true`. Returns how many were
 * expired.
 */
export async function expireStaleReleases(
  store: Store,
  config: SpongeConfig,
  now: Date,
  timeoutMs: number,
): Promise<number> {
  const cutoff = new Date(now.getTime() - timeoutMs).toISOString();
  const stale = await store.reader.all<{ id: string }>(
    "SELECT id FROM releases WHERE status IN ('queued', 'running') AND started_at < ? ORDER BY started_at LIMIT 1000",
    [cutoff],
  );
  let expired = 0;
  for (const { id } of stale) {
    await store.write(async (sql) => {
      const row = await sql.get<{ status: string }>("SELECT status FROM releases WHERE id = ?", [id]);
      if (row?.status !== "queued" && row?.status !== "running") return;
      await updateRelease(
        sql,
        { config, now: now.toISOString() },
        id,
        { status: "cancelled", metadata: { expired: true }, extra: {} },
        false,
      );
      expired++;
    });
  }
  return expired;
}
