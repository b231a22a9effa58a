import { type ActionIo, STATE } from "./action-io.js";
import { credential } from "./credential.js";
import { type ActionInputs, parseInputs } from "./inputs.js";
import { receiverClient, releaseUrl } from "./receiver-client.js";
import { reportFailure } from "./report-failure.js";
import { finalStatus, writeSummary } from "./run-main.js";

/**
 * The post step (runs after the job's other steps, whatever their outcome): finishes the
 * release main started in `track` mode with the job's status — success → succeeded,
 * failure → failed, cancelled → cancelled — and writes the job summary. Other modes and a
 * main step that started nothing leave it with nothing to do.
 *
 * @example await runPost(actionsIo()) // in dist/action/post.js
 */
export async function runPost(io: ActionIo): Promise<void> {
  let inputs: ActionInputs | undefined;
  try {
    inputs = parseInputs((name) => io.input(name));
    const releaseId = io.getState(STATE.releaseId);
    if (inputs.mode !== "track" || releaseId === "") {
      if (inputs.mode === "track")
        io.info("Sponge: no release was started by the main step; nothing to finish");
      return;
    }
    let status = inputs.jobStatus;
    if (status === undefined) {
      io.warning('Sponge: the "job-status" input is empty; finishing the release as succeeded');
      status = "succeeded";
    }
    // A fresh credential: OIDC tokens expire within minutes, deployments can take longer.
    const sponge = receiverClient(inputs, await credential(inputs, io));
    const release = await sponge.finishRelease(releaseId, {
      status: finalStatus(status),
      finished_at: io.now().toISOString(),
    });
    const url = io.getState(STATE.releaseUrl) || releaseUrl(inputs.url, release.id);
    io.info(`Sponge: release ${release.id} finished as ${release.status}: ${url}`);
    await writeSummary(io, release, url);
  } catch (error) {
    reportFailure(io, error, inputs?.failOnError ?? false, "finishing the release");
  }
}
