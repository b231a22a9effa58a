import { z } from "zod";
import { idSchema, lenient, optionalText } from "../schema-helpers.js";

const projectSchema = z.looseObject({
  id: idSchema,
  path_with_namespace: z.string().trim().min(1).max(500),
  web_url: optionalText,
});

const userSchema = lenient(
  z.looseObject({ username: optionalText, name: optionalText, email: optionalText }),
);

/** Deployment Hook, see https://docs.gitlab.com/user/project/integrations/webhook_events/#deployment-events. */
export const deploymentHookSchema = z.looseObject({
  object_kind: lenient(z.literal("deployment")),
  status: z.string(),
  status_changed_at: optionalText,
  deployment_id: idSchema,
  deployable_id: optionalText,
  deployable_url: optionalText,
  environment: z.string(),
  environment_tier: optionalText,
  environment_external_url: optionalText,
  project: projectSchema,
  short_sha: optionalText,
  ref: optionalText,
  user: userSchema,
  commit_url: optionalText,
  commit_title: optionalText,
});

const buildSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  stage: optionalText,
  status: z.string(),
  started_at: optionalText,
  finished_at: optionalText,
  environment: lenient(
    z.looseObject({ name: z.string(), action: optionalText, deployment_tier: optionalText }),
  ),
  user: userSchema,
});
export type PipelineBuild = z.output<typeof buildSchema>;

/** Pipeline Hook, see https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events. */
export const pipelineHookSchema = z.looseObject({
  object_kind: lenient(z.literal("pipeline")),
  object_attributes: z.looseObject({
    id: idSchema,
    iid: optionalText,
    name: optionalText,
    ref: optionalText,
    tag: lenient(z.boolean()),
    sha: optionalText,
    source: optionalText,
    status: optionalText,
    url: optionalText,
    variables: lenient(
      z.array(
        z.looseObject({ key: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
      ),
    ),
  }),
  merge_request: lenient(z.looseObject({ iid: lenient(z.number().int().positive()), title: optionalText })),
  user: userSchema,
  project: projectSchema,
  commit: lenient(
    z.looseObject({
      id: z.string().min(1),
      message: optionalText,
      title: optionalText,
      timestamp: optionalText,
      author: lenient(z.looseObject({ name: optionalText, email: optionalText })),
    }),
  ),
  builds: z.array(z.unknown()).max(100_000),
});
export { buildSchema };
