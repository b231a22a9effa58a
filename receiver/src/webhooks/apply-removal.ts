import type { RemovalResult } from "@sponge/adapters";
import type { Sql } from "../store/database.js";
import { removeService } from "../store/removals.js";

/**
 * Takes what a removed service ran out of the environment's current versions. A removal dated ahead of the
 * clock is taken as happening now: it cannot have happened later. `ignored` when nothing of it was current.
 */
export async function applyRemoval(
  sql: Sql,
  result: RemovalResult,
  receivedAt: string,
): Promise<{ outcome: "updated" | "ignored"; message: string; removed: string[] }> {
  const at =
    result.removed_at !== undefined && result.removed_at < receivedAt ? result.removed_at : receivedAt;
  const packages = await removeService(sql, result.service, {
    environment: result.environment,
    removedAt: at,
    source: "cdevents",
  });
  const removed = packages.map((row) => row.package);
  const where = JSON.stringify(result.environment);
  if (removed.length === 0) {
    const message = `nothing of service ${JSON.stringify(result.service)} that finished before the removal is current in ${where}; nothing changed`;
    return { outcome: "ignored", message, removed };
  }
  const names = removed.map((name) => JSON.stringify(name)).join(", ");
  return { outcome: "updated", message: `removed ${names} from ${where} at ${at}`.slice(0, 4000), removed };
}
