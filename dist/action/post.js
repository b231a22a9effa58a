import { createRequire as __spongeCreateRequire } from "node:module";
const require = __spongeCreateRequire(import.meta.url);
import {
  STATE,
  actionsIo,
  credential,
  finalStatus,
  parseInputs,
  receiverClient,
  releaseUrl,
  reportFailure,
  writeSummary
} from "./chunks/chunk-CFCEP3W3.js";

// packages/action/src/run-post.ts
async function runPost(io) {
  let inputs;
  try {
    inputs = parseInputs((name) => io.input(name));
    const releaseId = io.getState(STATE.releaseId);
    if (inputs.mode !== "track" || releaseId === "") {
      if (inputs.mode === "track")
        io.info("Sponge: no release was started by the main step; nothing to finish");
      return;
    }
    let status = inputs.jobStatus;
    if (status === void 0) {
      io.warning('Sponge: the "job-status" input is empty; finishing the release as succeeded');
      status = "succeeded";
    }
    const sponge = receiverClient(inputs, await credential(inputs, io));
    const release = await sponge.finishRelease(releaseId, {
      status: finalStatus(status),
      finished_at: io.now().toISOString()
    });
    const url = io.getState(STATE.releaseUrl) || releaseUrl(inputs.url, release.id);
    io.info(`Sponge: release ${release.id} finished as ${release.status}: ${url}`);
    await writeSummary(io, release, url);
  } catch (error) {
    reportFailure(io, error, inputs?.failOnError ?? false, "finishing the release");
  }
}

// packages/action/src/post.ts
await runPost(actionsIo());
