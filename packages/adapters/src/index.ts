export { decodeCloudEvent } from "./cdevents/decode-cloud-event.js";
export { mapCdevent } from "./cdevents/map-cdevent.js";
export { WebhookPayloadError } from "./errors.js";
export { makeKey } from "./fields.js";
export { mapGitHub } from "./github/map-github.js";
export { mapGitLab } from "./gitlab/map-gitlab.js";
export { mapJenkins } from "./jenkins/map-jenkins.js";
export { type JobSummary, summariseJobs } from "./summarise-jobs.js";
export type {
  AdapterResult,
  CiWrite,
  CloudEvent,
  CommitWrite,
  JobRun,
  PackageWrite,
  ReleaseLookup,
  ReleaseResult,
  ReleaseWrite,
  RemovalResult,
} from "./types.js";
