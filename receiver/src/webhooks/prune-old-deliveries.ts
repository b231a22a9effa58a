import { pruneDeliveries } from "../store/deliveries.js";
import type { Store } from "../store/store.js";

/** Deliveries deleted per transaction: short write locks, however large the backlog. */
const BATCH = 500;

/**
 * Deletes the deliveries received longer than `retentionMs` before `now` (with their bodies, which can be
 * large), a batch per transaction. Resolves to how many went. A retention of 0 keeps everything.
 *
 * @example await pruneOldDeliveries(store, new Date(), 30 * 86_400_000)
 */
export async function pruneOldDeliveries(
  store: Store,
  now: Date,
  retentionMs: number,
  batch = BATCH,
): Promise<number> {
  if (retentionMs <= 0) return 0;
  const before = new Date(now.getTime() - retentionMs).toISOString();
  let pruned = 0;
  for (;;) {
    const deleted = await store.write((sql) => pruneDeliveries(sql, before, batch));
    pruned += deleted;
    if (deleted < batch) return pruned;
  }
}
