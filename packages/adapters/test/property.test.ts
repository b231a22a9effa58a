import { parseConfig } from "@sponge/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AdapterResult,
  decodeCloudEvent,
  mapCdevent,
  mapGitHub,
  mapGitLab,
  mapJenkins,
  WebhookPayloadError,
} from "../src/index.js";
import { adapterCases } from "./support/adapter-cases.js";
import { expectWellFormed } from "./support/results.js";

const config = parseConfig({ github: { deployWorkflows: ["**"] } });
const RUNS = 300;

/** Runs an adapter; the only error it may throw is the typed one, and only for non-objects. */
function settle(payload: unknown, map: () => AdapterResult): void {
  const isObject = typeof payload === "object" && payload !== null && !Array.isArray(payload);
  let result: AdapterResult;
  try {
    result = map();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(isObject).toBe(false);
    return;
  }
  expect(isObject).toBe(true);
  expectWellFormed(result);
}

const githubEvents = fc.oneof(
  fc.constantFrom("deployment", "deployment_status", "workflow_run", "ping", "push"),
  fc.string(),
);
const gitlabEvents = fc.oneof(fc.constantFrom("Deployment Hook", "Pipeline Hook", "Push Hook"), fc.string());

/**
 * A recorded delivery with one value somewhere inside replaced by arbitrary JSON: random
 * JSON alone rarely gets past the first check, this reaches the code behind it.
 */
function mutated(body: unknown) {
  const paths = pathsOf(body);
  return fc.record({ path: fc.constantFrom(...paths), value: fc.jsonValue() }).map(({ path, value }) => {
    const copy: unknown = structuredClone(body);
    return setAt(copy, path, value);
  });
}

function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
) {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

function setAt(target: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(target) && typeof head === "number") {
    target[head] = setAt(target[head], rest, value);
  } else if (typeof target === "object" && target !== null) {
    Reflect.set(target, head, setAt(Reflect.get(target, head), rest, value));
  }
  return target;
}

describe("arbitrary JSON never makes an adapter throw", () => {
  it("mapGitHub", () => {
    fc.assert(
      fc.property(githubEvents, fc.jsonValue(), (event, payload) => {
        settle(payload, () => mapGitHub(event, payload, config));
      }),
      { numRuns: RUNS },
    );
  });

  it("mapGitLab", () => {
    fc.assert(
      fc.property(gitlabEvents, fc.jsonValue(), (event, payload) => {
        settle(payload, () => mapGitLab(event, payload, config));
      }),
      { numRuns: RUNS },
    );
  });

  it("mapJenkins", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        settle(payload, () => mapJenkins(payload, config));
      }),
      { numRuns: RUNS },
    );
  });

  it("decodeCloudEvent throws only its typed error, and mapCdevent never throws on what it decodes", () => {
    const headers = fc.dictionary(
      fc.constantFrom(
        "content-type",
        "ce-id",
        "ce-source",
        "ce-type",
        "ce-specversion",
        "ce-time",
        "authorization",
      ),
      fc.oneof(fc.string(), fc.constantFrom("application/cloudevents+json", "application/json", "1.0")),
    );
    fc.assert(
      fc.property(headers, fc.jsonValue(), (header, body) => {
        let event: ReturnType<typeof decodeCloudEvent>;
        try {
          event = decodeCloudEvent(header, body);
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookPayloadError);
          return;
        }
        expectWellFormed(mapCdevent(event, config));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("recorded deliveries with one value replaced never make an adapter throw", () => {
  for (const adapter of adapterCases()) {
    it(adapter.provider, () => {
      const deliveries = adapter.deliveries.filter((delivery) => !delivery.name.startsWith("@octokit"));
      const arbitrary = fc
        .constantFrom(...deliveries)
        .chain((delivery) => mutated(delivery.body).map((body) => ({ ...delivery, body })));
      fc.assert(
        fc.property(arbitrary, (delivery) => {
          // CloudEvents decoding may refuse a mangled envelope, with its typed error only.
          if (adapter.provider === "cdevents") {
            try {
              expectWellFormed(adapter.map(delivery, adapter.config));
            } catch (error) {
              if (!(error instanceof WebhookPayloadError)) throw error;
            }
            return;
          }
          settle(delivery.body, () => adapter.map(delivery, adapter.config));
        }),
        { numRuns: RUNS * 2 },
      );
    });
  }
});
