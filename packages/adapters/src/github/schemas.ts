import { z } from "zod";
import { idSchema, lenient, optionalLogin, optionalText } from "../schema-helpers.js";

export const repositorySchema = z.looseObject({
  id: idSchema,
  full_name: z.string().trim().min(1).max(500),
});

const headCommitSchema = z.looseObject({
  id: z.string().min(1),
  message: optionalText,
  timestamp: optionalText,
  author: lenient(z.looseObject({ name: optionalText, email: optionalText, username: optionalText })),
});

export const workflowRunSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  path: optionalText,
  run_attempt: lenient(z.number().int().positive()),
  html_url: optionalText,
  head_branch: optionalText,
  head_sha: optionalText,
  event: optionalText,
  status: optionalText,
  conclusion: optionalText,
  actor: optionalLogin,
  triggering_actor: optionalLogin,
  run_started_at: optionalText,
  created_at: optionalText,
  updated_at: optionalText,
  display_title: optionalText,
  pull_requests: lenient(z.array(z.looseObject({ number: z.number().int().positive() }))),
  head_commit: lenient(headCommitSchema),
});
export type WorkflowRun = z.output<typeof workflowRunSchema>;

const deploymentSchema = z.looseObject({
  id: idSchema,
  environment: z.string(),
  sha: optionalText,
  ref: optionalText,
  task: optionalText,
  creator: optionalLogin,
  created_at: optionalText,
});

const workflowSchema = z.looseObject({ name: optionalText, path: optionalText });

/** `deployment` events. `workflow_run` is present when a workflow run made the deployment. */
export const deploymentEventSchema = z.looseObject({
  deployment: deploymentSchema,
  repository: repositorySchema,
  sender: optionalLogin,
  workflow: lenient(workflowSchema),
  workflow_run: lenient(workflowRunSchema),
});

/** `deployment_status` events: the deployment again, with one status. */
export const deploymentStatusEventSchema = deploymentEventSchema.extend({
  deployment_status: z.looseObject({
    state: z.string(),
    created_at: optionalText,
    target_url: optionalText,
    log_url: optionalText,
    environment_url: optionalText,
    description: optionalText,
    creator: optionalLogin,
  }),
  check_run: lenient(z.looseObject({ name: optionalText, html_url: optionalText })),
});

export const workflowRunEventSchema = z.looseObject({
  workflow_run: workflowRunSchema,
  workflow: lenient(workflowSchema),
  repository: repositorySchema,
  sender: optionalLogin,
});

export const pingEventSchema = z.looseObject({
  zen: optionalText,
  hook_id: optionalText,
});
