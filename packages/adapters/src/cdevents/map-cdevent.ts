import type { SpongeConfig, Status } from "@sponge/core";
import type { z } from "zod";
import { expectObject } from "../errors.js";
import {
  cleanText,
  compact,
  describeFailure,
  firstText,
  isoTime,
  MAX_ENVIRONMENT,
  makeKey,
} from "../fields.js";
import { stripUserinfo } from "../redact.js";
import { ignored, releaseResult } from "../result.js";
import type { AdapterResult, CloudEvent } from "../types.js";
import { artifactPackage } from "./artifact-package.js";
import { cdeventSchema, pipelineRunContentSchema, serviceContentSchema } from "./schemas.js";

type CDEvent = z.output<typeof cdeventSchema>;

/** `dev.cdevents.<subject>.<predicate>.<event version>`; the version may carry a pre-release suffix. */
const TYPE = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\.\d+\.\d+\.\d+(?:-[0-9a-z.-]+)?$/i;

/** pipelineRun `outcome` values across spec versions. */
const OUTCOMES: Record<string, Status> = {
  success: "succeeded",
  failure: "failed",
  error: "failed",
  cancel: "cancelled",
  cancelled: "cancelled",
  canceled: "cancelled",
};

/**
 * Maps a CDEvent (spec 0.3 to 0.6) carried by a CloudEvent.
 * - `service.deployed`, `service.upgraded`, `service.rolledback`: a finished, succeeded
 *   deployment to `environment.id`; the `artifactId` purl names the package and version.
 *   Key `cdevents:<source>:<event id>:<subject.predicate>` (each event is a whole deployment).
 * - `pipelinerun.started` / `pipelinerun.finished`: the run as a release, keyed
 *   `cdevents:<subject source>:pipelinerun:<subject id>` so both fold together.
 * - `service.removed`: the service (`subject.id`) no longer runs in `environment.id`; not a deployment.
 * - every other type is ignored: Sponge records deployments.
 *
 * @throws {WebhookPayloadError} when `event` is not an object
 * @example mapCdevent(decodeCloudEvent(headers, body), config)
 */
export function mapCdevent(event: CloudEvent, _config: SpongeConfig): AdapterResult {
  expectObject(event, "the CloudEvent");
  const parsed = cdeventSchema.safeParse(event.data);
  if (!parsed.success) {
    return ignored(`CloudEvent data is not a CDEvent: ${describeFailure(parsed.error.issues)}`);
  }
  const cdevent = parsed.data;
  const type = cdevent.context.type;
  const match = TYPE.exec(type);
  if (match === null) return ignored(`"${cleanText(type, 200)}" is not a CDEvents event type`);
  const kind = `${match[1]?.toLowerCase()}.${match[2]?.toLowerCase()}`;
  const time = isoTime(cdevent.context.timestamp) ?? isoTime(cleanText(event.time, 100));
  switch (kind) {
    case "service.deployed":
    case "service.upgraded":
    case "service.rolledback":
      return mapService(kind, cdevent, time);
    case "service.removed":
      return mapRemoval(cdevent, time);
    case "pipelinerun.started":
    case "pipelinerun.finished":
      return mapPipelineRun(kind, cdevent, time);
    default:
      return ignored(`CDEvents ${kind} is not a deployment event`);
  }
}

function mapService(kind: string, cdevent: CDEvent, time: string | undefined): AdapterResult {
  const content = serviceContentSchema.safeParse(cdevent.subject.content);
  if (!content.success)
    return ignored(`CDEvents ${kind} is not usable: ${describeFailure(content.error.issues)}`);
  const environment = cleanText(content.data.environment.id);
  if (environment === undefined) return ignored(`CDEvents ${kind} has no environment id`);
  if (environment.length > MAX_ENVIRONMENT) {
    return ignored(`CDEvents ${kind} environment id is longer than ${MAX_ENVIRONMENT} characters`);
  }
  const artifactId = cleanText(content.data.artifactId, 2000);
  const artifact = artifactId === undefined ? undefined : artifactPackage(artifactId);
  const { context } = cdevent;
  const release = compact({
    // The event type is part of the key: producers reuse one id across types (the spec's own examples
    // do), and a deployed and a rolledback event are two deployments.
    key: makeKey("cdevents", context.source, context.id, kind),
    source: "cdevents" as const,
    status: "succeeded" as const,
    environment,
    finished_at: time,
    packages: artifact === undefined ? undefined : [{ ...artifact, status: "succeeded" as const }],
    ci: compact({
      provider: "cdevents",
      event: kind,
      environment,
      environment_source: cleanText(content.data.environment.source),
      service: cleanText(cdevent.subject.id, 1000),
    }),
    metadata: metadataOf(cdevent, { artifact_id: artifactId }),
  });
  return releaseResult(release);
}

function mapRemoval(cdevent: CDEvent, time: string | undefined): AdapterResult {
  const content = serviceContentSchema.safeParse(cdevent.subject.content);
  if (!content.success)
    return ignored(`CDEvents service.removed is not usable: ${describeFailure(content.error.issues)}`);
  const environment = cleanText(content.data.environment.id);
  if (environment === undefined) return ignored("CDEvents service.removed has no environment id");
  if (environment.length > MAX_ENVIRONMENT) {
    return ignored(`CDEvents service.removed environment id is longer than ${MAX_ENVIRONMENT} characters`);
  }
  const service = cleanText(cdevent.subject.id, 1000);
  if (service === undefined) return ignored("CDEvents service.removed has no subject id");
  return compact({ kind: "removal" as const, service, environment, removed_at: time });
}

function mapPipelineRun(kind: string, cdevent: CDEvent, time: string | undefined): AdapterResult {
  const content = pipelineRunContentSchema.safeParse(cdevent.subject.content);
  if (!content.success)
    return ignored(`CDEvents ${kind} is not usable: ${describeFailure(content.error.issues)}`);
  const run = content.data;
  const finished = kind === "pipelinerun.finished";
  let status: Status = "running";
  if (finished) {
    const outcome = cleanText(run.outcome)?.toLowerCase();
    const mapped = outcome === undefined ? undefined : OUTCOMES[outcome];
    if (mapped === undefined) {
      return ignored(
        outcome === undefined
          ? "CDEvents pipelinerun.finished without an outcome"
          : `CDEvents pipelinerun.finished outcome "${cleanText(outcome, 100)}" is not known`,
      );
    }
    status = mapped;
  }
  const { subject } = cdevent;
  const runSource = firstText(subject.source, cdevent.context.source) ?? cdevent.context.source;
  const link = firstText(run.uri, run.url);
  const url = link === undefined ? undefined : stripUserinfo(link);
  const release = compact({
    key: makeKey("cdevents", runSource, "pipelinerun", subject.id),
    source: "cdevents" as const,
    status,
    url,
    started_at: finished ? undefined : time,
    finished_at: finished ? time : undefined,
    ci: compact({
      provider: "cdevents",
      event: kind,
      workflow: cleanText(run.pipelineName),
      run_id: subject.id,
      run_url: url,
    }),
    metadata: metadataOf(cdevent, { errors: finished ? cleanText(run.errors) : undefined }),
  });
  return releaseResult(release);
}

function metadataOf(cdevent: CDEvent, extra: Record<string, string | undefined>): Record<string, unknown> {
  const { context, subject } = cdevent;
  return {
    cdevents: compact({
      id: context.id,
      source: context.source,
      type: context.type,
      specversion: firstText(context.specversion, context.version),
      chain_id: cleanText(context.chainId),
      subject_id: subject.id,
      ...extra,
    }),
  };
}
