// Development aid: WAL pages written per release, with every index and with each secondary index dropped
// in turn, so the cost of an index to every commit can be read off. Writes go through the real write path
// (createOrMergeRelease in the store's group commit, batches of 25, the ingest benchmark's bodies); the
// WAL is never checkpointed during a run, so its growth is the pages written.
//   node bench/lib/wal-frames.mjs            (after `npx tsc -b`)
import { rmSync, statSync } from "node:fs";
import { defaultConfig, releaseInput } from "../../packages/core/dist/index.js";
import { createOrMergeRelease } from "../../receiver/dist/releases/release-writer.js";
import { Store } from "../../receiver/dist/store/store.js";
import { releaseBody } from "../ingest-bench.mjs";
import { tempDatabase } from "./processes.mjs";

const BATCH = 25;
const WARM_BATCHES = 100;
const MEASURED_BATCHES = 100;
/** SQLite's WAL frame: a 24-byte header and a page. */
const frameBytes = (pageSize) => pageSize + 24;

const inputs = Array.from({ length: BATCH * (WARM_BATCHES + MEASURED_BATCHES) }, (_, n) =>
  releaseInput.parse(JSON.parse(releaseBody(n, "frames"))),
);

async function framesPerRelease(drop) {
  const db = tempDatabase();
  const store = await Store.open({ url: db.url, synchronous: "NORMAL" });
  try {
    await store.write(async (sql) => {
      await sql.exec("PRAGMA wal_autocheckpoint = 0");
      if (drop) await sql.exec(`DROP INDEX ${drop}`);
    });
    const pageSize = (await store.reader.get("PRAGMA page_size")).page_size;
    const walBytes = () => statSync(`${db.path}-wal`).size;
    let start = 0;
    for (let batch = 0; batch < WARM_BATCHES + MEASURED_BATCHES; batch++) {
      if (batch === WARM_BATCHES) start = walBytes();
      const slice = inputs.slice(batch * BATCH, (batch + 1) * BATCH);
      const ctx = { config: defaultConfig, now: new Date().toISOString() };
      await Promise.all(
        slice.map((input) => store.write((sql) => createOrMergeRelease(sql, ctx, input, "api"))),
      );
    }
    return (walBytes() - start) / frameBytes(pageSize) / (BATCH * MEASURED_BATCHES);
  } finally {
    await store.close();
    rmSync(db.dir, { recursive: true, force: true });
  }
}

const all = await framesPerRelease(undefined);
console.log(`all indexes: ${all.toFixed(2)} WAL pages per release (batches of ${BATCH})`);
const probe = await Store.open({ url: ":memory:" });
const indexes = await probe.reader.all(
  "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('releases', 'release_packages', 'release_tags', 'current_versions') ORDER BY tbl_name, name",
);
await probe.close();
for (const { name, tbl_name } of indexes) {
  const without = await framesPerRelease(name);
  console.log(`${tbl_name}.${name}: ${(all - without).toFixed(2)} pages per release`);
}
