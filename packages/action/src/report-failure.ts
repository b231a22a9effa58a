import type { ActionIo } from "./action-io.js";
import { InputError } from "./input-error.js";

/**
 * Ends a step that went wrong. Bad inputs always fail it. Anything else (the receiver down,
 * answering 5xx or slowly, an OIDC token that could not be had) is a warning when
 * `fail-on-error` is false, so tracking a deployment never breaks the deployment.
 *
 * @example reportFailure(io, error, inputs?.failOnError ?? false, "starting the release")
 */
export function reportFailure(io: ActionIo, error: unknown, failOnError: boolean, doing: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof InputError) {
    io.setFailed(`Sponge: ${reason}`);
    return;
  }
  const message = `Sponge: ${doing} failed: ${reason}`;
  if (failOnError) io.setFailed(message);
  else
    io.warning(
      `${message} (the deployment is not affected; set fail-on-error: true to fail the step instead)`,
    );
}
