import { z } from "zod";
import { lenient, optionalText } from "../schema-helpers.js";

/**
 * A CDEvent: `context` + `subject` (+ `customData`). Spec 0.3/0.4 name the spec version
 * `context.version`, 0.5 and later `context.specversion`; 0.4+ add `chainId` and `links`.
 * See https://github.com/cdevents/spec/blob/v0.5.1/spec.md.
 */
export const cdeventSchema = z.looseObject({
  context: z.looseObject({
    id: z.string().trim().min(1).max(200),
    source: z.string().trim().min(1).max(1000),
    type: z.string().trim().min(1).max(200),
    timestamp: optionalText,
    version: optionalText,
    specversion: optionalText,
    chainId: optionalText,
  }),
  subject: z.looseObject({
    id: z.string().trim().min(1).max(1000),
    source: optionalText,
    content: z.record(z.string(), z.unknown()).default({}),
  }),
});

/** `service.*` subject content (environment reference and, except for removals, the artifact). */
export const serviceContentSchema = z.looseObject({
  environment: z.looseObject({ id: z.string(), source: optionalText }),
  artifactId: optionalText,
});

/** `pipelineRun.*` subject content; `url` before spec 0.5, `uri` since. */
export const pipelineRunContentSchema = z.looseObject({
  pipelineName: optionalText,
  uri: optionalText,
  url: optionalText,
  outcome: optionalText,
  errors: optionalText,
});

/** The context attributes of a structured-mode CloudEvent (the body), see the CloudEvents JSON format. */
export const structuredCloudEventSchema = z.looseObject({
  specversion: optionalText,
  id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(200)),
  source: z.string().trim().min(1).max(1000),
  type: z.string().trim().min(1).max(200),
  time: optionalText,
  subject: optionalText,
  datacontenttype: optionalText,
  dataschema: optionalText,
  data: z.unknown().optional(),
  data_base64: lenient(z.string()),
});
