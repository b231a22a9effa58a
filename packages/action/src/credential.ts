import type { ActionIo } from "./action-io.js";
import { InputError } from "./input-error.js";
import type { ActionInputs } from "./inputs.js";

/**
 * The bearer credential for the receiver: the `token` input (masked in the log), else a
 * GitHub Actions OIDC token for `oidc-audience`. Post steps call this again, because OIDC
 * tokens expire within minutes and a deployment may take longer.
 * https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 *
 * @example const token = await credential(inputs, io);
 */
export async function credential(inputs: ActionInputs, io: ActionIo): Promise<string> {
  if (inputs.token !== undefined) {
    io.setSecret(inputs.token);
    return inputs.token;
  }
  if (!io.env.ACTIONS_ID_TOKEN_REQUEST_URL || !io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new InputError(
      'no credential for the receiver: set the "token" input (e.g. token: ${{ secrets.SPONGE_TOKEN }}), ' +
        "or give the job `permissions: id-token: write` to use GitHub OIDC",
    );
  }
  try {
    const token = await io.getIdToken(inputs.oidcAudience);
    io.setSecret(token);
    return token;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, " ").trim() : String(error);
    throw new Error(`could not get a GitHub OIDC token for audience ${inputs.oidcAudience}: ${reason}`);
  }
}
