import type { SpongeConfig } from "@sponge/core";
import { expectObject } from "../errors.js";
import { cleanText } from "../fields.js";
import { ignored } from "../result.js";
import type { AdapterResult } from "../types.js";
import { mapDeployment, mapDeploymentStatus } from "./deployment.js";
import { pingEventSchema } from "./schemas.js";
import { mapWorkflowRun } from "./workflow-run.js";

/**
 * Maps a GitHub webhook delivery to a release write.
 * `deployment` and `deployment_status` fold into one release keyed
 * `github:<repo id>:deployment:<deployment id>`; `workflow_run` counts only for workflows
 * matching `github.deployWorkflows` (key `github:<repo id>:run:<run id>:<attempt>`);
 * `ping` answers the hook check; every other event is ignored.
 *
 * @param event the `X-GitHub-Event` header
 * @param payload the parsed JSON body (the receiver decodes `payload=` form bodies first)
 * @throws {WebhookPayloadError} when the body is not a JSON object
 * @example
 * const result = mapGitHub("deployment_status", body, config);
 * if (result.kind === "release") await store.upsert(result.release, result.lookup);
 */
export function mapGitHub(event: string, payload: unknown, config: SpongeConfig): AdapterResult {
  expectObject(payload, "the GitHub webhook body");
  const name = event.trim().toLowerCase();
  switch (name) {
    case "deployment":
      return mapDeployment(payload);
    case "deployment_status":
      return mapDeploymentStatus(payload);
    case "workflow_run":
      return mapWorkflowRun(payload, config);
    case "ping": {
      const ping = pingEventSchema.safeParse(payload);
      const zen = ping.success ? ping.data.zen : undefined;
      const hook = ping.success ? ping.data.hook_id : undefined;
      return {
        kind: "ping",
        message: `GitHub hook ${hook ?? "(unknown id)"} is connected${zen ? `: ${zen}` : ""}`,
      };
    }
    default:
      return ignored(
        name === ""
          ? "GitHub delivery without an X-GitHub-Event header"
          : `GitHub event "${cleanText(name, 100)}" is not a deployment event`,
      );
  }
}
