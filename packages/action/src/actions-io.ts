import * as core from "@actions/core";
import { context } from "@actions/github";
import type { ActionIo } from "./action-io.js";

/**
 * {@link ActionIo} on `@actions/core` and `@actions/github`: inputs from `INPUT_*`, outputs
 * and state through the runner's GITHUB_OUTPUT / GITHUB_STATE files, the job summary through
 * GITHUB_STEP_SUMMARY.
 *
 * @example await runMain(actionsIo())
 */
export function actionsIo(): ActionIo {
  return {
    input: (name) => core.getInput(name),
    context,
    env: process.env,
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    setSecret: (value) => core.setSecret(value),
    getIdToken: (audience) => core.getIDToken(audience),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    setFailed: (message) => core.setFailed(message),
    writeSummary: async (text) => {
      await core.summary.addRaw(text, true).write();
    },
    now: () => new Date(),
  };
}
