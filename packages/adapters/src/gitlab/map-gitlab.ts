import type { SpongeConfig } from "@sponge/core";
import { expectObject } from "../errors.js";
import { cleanText } from "../fields.js";
import { ignored } from "../result.js";
import type { AdapterResult } from "../types.js";
import { mapGitLabDeployment } from "./deployment.js";
import { mapGitLabPipeline } from "./pipeline.js";

/**
 * Maps a GitLab webhook delivery. `Deployment Hook` gives one release per deployment;
 * `Pipeline Hook` one per environment a started job deployed to; other hooks are ignored.
 *
 * @param event the `X-Gitlab-Event` header, e.g. `Deployment Hook`
 * @param payload the parsed JSON body
 * @param _config unused today; kept so every adapter has the same shape
 * @throws {WebhookPayloadError} when the body is not a JSON object
 * @example mapGitLab("Deployment Hook", body, config) // { kind: "release", key: "gitlab:30:deployment:15", ... }
 */
export function mapGitLab(event: string, payload: unknown, _config: SpongeConfig): AdapterResult {
  expectObject(payload, "the GitLab webhook body");
  const name = event.trim().toLowerCase();
  switch (name) {
    case "deployment hook":
      return mapGitLabDeployment(payload);
    case "pipeline hook":
      return mapGitLabPipeline(payload);
    default:
      return ignored(
        name === ""
          ? "GitLab delivery without an X-Gitlab-Event header"
          : `GitLab event "${cleanText(event, 100)}" is not a deployment or pipeline event`,
      );
  }
}
