import { parseConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { type CloudEvent, decodeCloudEvent, mapCdevent, WebhookPayloadError } from "../src/index.js";
import { cdeventDeliveries } from "./support/adapter-cases.js";
import { copyOf, LOCAL_FIXTURES, readFixture } from "./support/fixtures.js";
import { foldWrites, ignoredReason, onlyRelease, permutations } from "./support/results.js";

const config = parseConfig({});
const json = { "content-type": "application/json" };

const versions = [
  { spec: "0.6.0-draft", folder: "cdevents/", root: undefined, eventVersion: "0.3.0" },
  { spec: "0.5.1", folder: "cdevents/v0.5.1/", root: undefined, eventVersion: "0.3.0" },
  { spec: "0.4.1", folder: "cdevents/v0.4/", root: LOCAL_FIXTURES, eventVersion: "0.2.0" },
] as const;

function event(data: unknown): CloudEvent {
  return decodeCloudEvent(json, data);
}

/** A CDEvent of the 0.5.1 conformance set with its subject content changed. */
function contentVariant(file: string, content: Record<string, unknown>, type?: string): unknown {
  const body = copyOf(readFixture(`cdevents/v0.5.1/${file}`));
  const subject = copyOf(body.subject);
  subject.content = { ...copyOf(subject.content), ...content };
  body.subject = subject;
  if (type !== undefined) body.context = { ...copyOf(body.context), type };
  return body;
}

describe("decodeCloudEvent", () => {
  const fixture = { name: "service.deployed", body: readFixture("cdevents/v0.5.1/service.deployed.json") };

  it("reads structured, binary and bare deliveries into the same event, without transport headers", () => {
    const decoded = cdeventDeliveries(fixture).map((delivery) =>
      decodeCloudEvent(delivery.headers, delivery.body),
    );
    for (const cloudEvent of decoded) {
      expect(cloudEvent).toMatchObject({
        specversion: "1.0",
        id: "271069a8-fc18-44f1-b38f-9d70a1695819",
        source: "/event/source/123",
        type: "dev.cdevents.service.deployed.0.3.0",
        subject: "mySubject123",
        time: "2023-03-20T14:27:05.315384Z",
        data: fixture.body,
      });
      expect(Object.keys(cloudEvent).sort()).toEqual(
        ["data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type"].sort(),
      );
    }
  });

  it("percent-decodes binary-mode header values and accepts any header case", () => {
    const decoded = decodeCloudEvent(
      {
        "Content-Type": "application/json",
        "CE-ID": "evt-1",
        "Ce-Source": "https%3A%2F%2Fci.example.com%2Fpipelines",
        "ce-type": "dev.cdevents.pipelinerun.started.0.2.0",
        "ce-specversion": "1.0",
      },
      {},
    );
    expect(decoded).toEqual({
      specversion: "1.0",
      id: "evt-1",
      source: "https://ci.example.com/pipelines",
      type: "dev.cdevents.pipelinerun.started.0.2.0",
      datacontenttype: "application/json",
      data: {},
    });
  });

  it("decodes data_base64 in structured mode", () => {
    const data = readFixture("cdevents/v0.5.1/pipelinerun.started.json");
    const decoded = decodeCloudEvent(
      { "content-type": "application/cloudevents+json" },
      {
        specversion: "1.0",
        id: "1",
        source: "/ci",
        type: "dev.cdevents.pipelinerun.started.0.3.0",
        data_base64: Buffer.from(JSON.stringify(data)).toString("base64"),
      },
    );
    expect(decoded.data).toEqual(data);
  });

  it("refuses batch mode with 415", () => {
    const attempt = () => decodeCloudEvent({ "content-type": "application/cloudevents-batch+json" }, []);
    expect(attempt).toThrow(WebhookPayloadError);
    expect(attempt).toThrow(expect.objectContaining({ status: 415 }));
  });

  it("names the missing binary-mode headers", () => {
    const attempt = () => decodeCloudEvent({ "ce-id": "1", "ce-specversion": "1.0" }, {});
    expect(attempt).toThrow(/ce-source, ce-type/);
    expect(attempt).toThrow(expect.objectContaining({ status: 400, code: "invalid_cloudevent" }));
  });

  it("refuses a structured event without an id and a body that is no CloudEvent at all", () => {
    const structured = { "content-type": "application/cloudevents+json" };
    expect(() => decodeCloudEvent(structured, { source: "/ci", type: "x" })).toThrow(/id/);
    expect(() => decodeCloudEvent(structured, "text")).toThrow(WebhookPayloadError);
    expect(() => decodeCloudEvent(json, { hello: "world" })).toThrow(WebhookPayloadError);
    expect(() => decodeCloudEvent({}, null)).toThrow(WebhookPayloadError);
  });
});

describe("mapCdevent: service events", () => {
  it.each(versions)(
    "records service.deployed of spec $spec as a finished deployment of the purl's package",
    (version) => {
      const data = readFixture(`${version.folder}service.deployed.json`, version.root);
      const result = onlyRelease(mapCdevent(event(data), config));
      expect(result.key).toBe(
        "cdevents:/event/source/123:271069a8-fc18-44f1-b38f-9d70a1695819:service.deployed",
      );
      expect(result.release).toMatchObject({
        source: "cdevents",
        status: "succeeded",
        environment: "test123",
        finished_at: "2023-03-20T14:27:05.315Z",
        packages: [
          {
            name: "myapp",
            version: "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427",
            status: "succeeded",
          },
        ],
        ci: {
          provider: "cdevents",
          event: "service.deployed",
          environment: "test123",
          service: "mySubject123",
        },
      });
      expect(result.release.started_at).toBeUndefined();
      expect(result.release.metadata).toEqual({
        cdevents: {
          id: "271069a8-fc18-44f1-b38f-9d70a1695819",
          source: "/event/source/123",
          type: `dev.cdevents.service.deployed.${version.eventVersion}`,
          specversion: version.spec,
          chain_id: "4c8cb7dd-3448-41de-8768-eec704e2829b",
          subject_id: "mySubject123",
          artifact_id:
            "pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427",
        },
      });
    },
  );

  it.each(["upgraded", "rolledback"])("records service.%s like a deployment", (predicate) => {
    const release = onlyRelease(
      mapCdevent(event(readFixture(`cdevents/service.${predicate}.json`)), config),
    ).release;
    expect(release.status).toBe("succeeded");
    expect(release.ci.event).toBe(`service.${predicate}`);
    expect(release.packages?.[0]?.name).toBe("myapp");
  });

  it("maps service.removed to a removal of the subject from the environment, not a deployment", () => {
    expect(mapCdevent(event(readFixture("cdevents/service.removed.json")), config)).toEqual({
      kind: "removal",
      service: "mySubject123",
      environment: "test123",
      removed_at: "2023-03-20T14:27:05.315Z",
    });
    const nowhere = contentVariant("service.removed.json", { environment: { id: " " } });
    expect(ignoredReason(mapCdevent(event(nowhere), config))).toBe(
      "CDEvents service.removed has no environment id",
    );
    const shapeless = contentVariant("service.removed.json", { environment: "test123" });
    expect(ignoredReason(mapCdevent(event(shapeless), config))).toMatch(
      /^CDEvents service.removed is not usable: /,
    );
  });

  it("prefers the purl's tag qualifier as the version and keeps npm scopes in the name", () => {
    const tagged = contentVariant("service.deployed.json", {
      artifactId: "pkg:oci/myapp@sha256%3Aabc?tag=v1.2.3",
    });
    expect(onlyRelease(mapCdevent(event(tagged), config)).release.packages).toEqual([
      { name: "myapp", version: "v1.2.3", status: "succeeded" },
    ]);
    const scoped = contentVariant("service.deployed.json", { artifactId: "pkg:npm/%40acme/api@4.0.1" });
    expect(onlyRelease(mapCdevent(event(scoped), config)).release.packages?.[0]).toMatchObject({
      name: "@acme/api",
      version: "4.0.1",
    });
  });

  it("reads a container image reference sent instead of a purl, and keeps the id", () => {
    const digest = `sha256:${"0b31".repeat(16)}`;
    const images: [string, { name: string; version: string } | undefined][] = [
      ["nginx:1.25", { name: "nginx", version: "1.25" }],
      ["ghcr.io/acme/api:v2.1", { name: "api", version: "v2.1" }],
      ["localhost:5000/team/worker:2024-06-01", { name: "worker", version: "2024-06-01" }],
      [`acme/api@${digest}`, { name: "api", version: digest }],
      ["build-123", undefined],
      ["Not An Image:1", undefined],
      ["api@latest", undefined],
    ];
    for (const [artifactId, pkg] of images) {
      const body = contentVariant("service.deployed.json", { artifactId });
      const release = onlyRelease(mapCdevent(event(body), config)).release;
      expect(release.packages, artifactId).toEqual(
        pkg === undefined ? undefined : [expect.objectContaining(pkg)],
      );
      expect(release.metadata).toMatchObject({ cdevents: { artifact_id: artifactId } });
    }
  });

  it("ignores a service event without an environment", () => {
    const body = contentVariant("service.deployed.json", { environment: null });
    expect(ignoredReason(mapCdevent(event(body), config))).toMatch(/environment/);
  });
});

describe("mapCdevent: pipeline runs", () => {
  it.each(versions)("folds pipelinerun.started and .finished of spec $spec into one release", (version) => {
    const startedData = readFixture(`${version.folder}pipelinerun.started.json`, version.root);
    const finishedData = readFixture(`${version.folder}pipelinerun.finished.json`, version.root);
    const started = onlyRelease(mapCdevent(event(startedData), config));
    const finished = onlyRelease(mapCdevent(event(finishedData), config));
    expect(started.key).toBe("cdevents:/event/source/123:pipelinerun:mySubject123");
    expect(finished.key).toBe(started.key);
    expect(started.release).toMatchObject({
      status: "running",
      started_at: "2023-03-20T14:27:05.315Z",
      url: "https://www.example.com/mySubject123",
      ci: { workflow: "myPipeline", run_id: "mySubject123", event: "pipelinerun.started" },
    });
    expect(started.release.finished_at).toBeUndefined();
    expect(finished.release).toMatchObject({
      status: "failed",
      finished_at: "2023-03-20T14:27:05.315Z",
      url: "https://www.example.com/mySubject123",
      metadata: { cdevents: { errors: "Something went wrong\nWith some more details" } },
    });
    expect(finished.release.started_at).toBeUndefined();
    for (const order of permutations([started.release, finished.release])) {
      expect(foldWrites(order).status).toBe("failed");
    }
  });

  it.each([
    ["success", "succeeded"],
    ["error", "failed"],
    ["cancel", "cancelled"],
  ] as const)("maps outcome %s to %s", (outcome, status) => {
    const body = contentVariant("pipelinerun.finished.json", { outcome });
    expect(onlyRelease(mapCdevent(event(body), config)).release.status).toBe(status);
  });

  it("ignores a finished run without an outcome rather than guessing", () => {
    const body = contentVariant("pipelinerun.finished.json", { outcome: null });
    expect(ignoredReason(mapCdevent(event(body), config))).toMatch(/outcome/);
  });
});

describe("mapCdevent: other events", () => {
  it("ignores CDEvents types that are not deployments", () => {
    const body = contentVariant("pipelinerun.started.json", {}, "dev.cdevents.build.finished.0.2.0");
    expect(ignoredReason(mapCdevent(event(body), config))).toMatch(/build\.finished/);
  });

  it("ignores a type outside the CDEvents vocabulary", () => {
    const body = contentVariant("pipelinerun.started.json", {}, "com.example.deployed");
    expect(ignoredReason(mapCdevent(event(body), config))).toMatch(/not a CDEvents event type/);
  });

  it("ignores CloudEvents whose data is not a CDEvent", () => {
    const cloudEvent: CloudEvent = {
      specversion: "1.0",
      id: "1",
      source: "/x",
      type: "dev.cdevents.service.deployed.0.3.0",
      data: "hi",
    };
    expect(ignoredReason(mapCdevent(cloudEvent, config))).toMatch(/not a CDEvent/);
  });

  it("throws a typed error when the event is not an object", () => {
    // As a JavaScript caller could: the signature rules it out for TypeScript ones.
    expect(() => Reflect.apply(mapCdevent, undefined, [null, config])).toThrow(WebhookPayloadError);
  });
});
