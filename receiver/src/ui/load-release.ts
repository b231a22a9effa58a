import type { AppContext } from "../app-context.js";
import { getReleaseDoc, releaseLogs } from "../store/release-reads.js";
import type { ReleaseData } from "./page-data.js";
import { parseReleaseDoc } from "./release-docs.js";

/** Log lines per release page. */
export const LOG_PAGE = 500;

/** One release and a page of its logs; undefined when there is no such release. */
export async function loadRelease(
  ctx: AppContext,
  id: string,
  logsAfter: number,
): Promise<ReleaseData | undefined> {
  const doc = await getReleaseDoc(ctx.store.reader, id);
  if (doc === undefined) return undefined;
  const logs = await releaseLogs(ctx.store.reader, id, logsAfter, LOG_PAGE + 1);
  const more = logs.length > LOG_PAGE;
  const shown = more ? logs.slice(0, LOG_PAGE) : logs;
  return {
    now: ctx.clock(),
    release: parseReleaseDoc(doc),
    logs: shown,
    logsNext: more ? (shown[shown.length - 1]?.id ?? null) : null,
    logsAfter,
  };
}
