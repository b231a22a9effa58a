import { normaliseStatus, parseConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { mapJenkins, WebhookPayloadError } from "../src/index.js";
import { copyOf, readFixture } from "./support/fixtures.js";
import { foldWrites, ignoredReason, onlyRelease, permutations } from "./support/results.js";

const config = parseConfig({});
const started = readFixture("jenkins/started.constructed.json");
const completed = readFixture("jenkins/completed.constructed.json");
const finalized = readFixture("jenkins/finalized.constructed.json");
const failed = readFixture("jenkins/finalized.failure.constructed.json");
const wiki = readFixture("jenkins/completed.wiki-example.json");

function buildVariant(body: unknown, changes: Record<string, unknown>, job: Record<string, unknown> = {}) {
  const copy = copyOf(body);
  return { ...copy, ...job, build: { ...copyOf(copy.build), ...changes } };
}

describe("mapJenkins: phases", () => {
  it("records STARTED as running from the build's start time", () => {
    expect(mapJenkins(started, config)).toEqual({
      kind: "release",
      key: "jenkins:localhost:8080/asgard:18",
      release: {
        key: "jenkins:localhost:8080/asgard:18",
        source: "jenkins",
        status: "running",
        environment: "staging",
        repository: "evgeny-goldin/asgard",
        commit: "c6d86dc654b12425e706bcf951adfe5a8627a517",
        ref: "origin/master",
        url: "http://localhost:8080/job/asgard/18/",
        // timestamp 1718000000000
        started_at: "2024-06-10T06:13:20.000Z",
        ci: {
          provider: "jenkins",
          ref: "origin/master",
          branch: "master",
          run_id: "18",
          job: "asgard",
          run_url: "http://localhost:8080/job/asgard/18/",
          environment: "staging",
          parameters: { DEPLOY_ENV: "staging" },
          repository_url: "https://github.com/evgeny-goldin/asgard.git",
          phase: "STARTED",
        },
      },
    });
  });

  it("dates COMPLETED from its timestamp (start + duration) and duration", () => {
    const release = onlyRelease(mapJenkins(completed, config)).release;
    expect(release).toMatchObject({
      status: "succeeded",
      // 1718000093512 - 93512
      started_at: "2024-06-10T06:13:20.000Z",
      finished_at: "2024-06-10T06:14:53.512Z",
    });
    expect(release.ci).toMatchObject({
      actor: "evgenyg",
      culprits: ["evgenyg"],
      changed_files: ["grails-app/conf/Config.groovy"],
      result: "SUCCESS",
      phase: "COMPLETED",
    });
  });

  it("takes only the result from FINALIZED, whose timestamp is housekeeping time", () => {
    const release = onlyRelease(mapJenkins(finalized, config)).release;
    expect(release.status).toBe("succeeded");
    expect(release.started_at).toBeUndefined();
    expect(release.finished_at).toBeUndefined();
  });

  it("records a failed build under its own number", () => {
    const result = onlyRelease(mapJenkins(failed, config));
    expect(result.key).toBe("jenkins:localhost:8080/asgard:19");
    expect(result.release.status).toBe("failed");
    expect(result.release.commit).toBe("1f3c0be2b1d0e7a4c9a8f6e5d4c3b2a190817263");
  });

  it("records QUEUED as queued without times", () => {
    const release = onlyRelease(mapJenkins(buildVariant(started, { phase: "QUEUED" }), config)).release;
    expect(release.status).toBe("queued");
    expect(release.started_at).toBeUndefined();
  });

  it("reads the legacy wiki example, which has no timestamps, onto the same key", () => {
    const result = onlyRelease(mapJenkins(wiki, config));
    expect(result.key).toBe("jenkins:localhost:8080/asgard:18");
    expect(result.release).toMatchObject({ status: "succeeded", repository: "evgeny-goldin/asgard" });
    expect(result.release.started_at).toBeUndefined();
    expect(result.release.environment).toBeUndefined();
  });

  it("converges whatever order STARTED, COMPLETED and FINALIZED arrive in", () => {
    const writes = [started, completed, finalized].map(
      (body) => onlyRelease(mapJenkins(body, config)).release,
    );
    for (const order of permutations(writes)) {
      expect(foldWrites(order)).toEqual({
        status: "succeeded",
        started_at: "2024-06-10T06:13:20.000Z",
        finished_at: "2024-06-10T06:14:53.512Z",
        environment: "staging",
        commit: "c6d86dc654b12425e706bcf951adfe5a8627a517",
        repository: "evgeny-goldin/asgard",
        packages: [],
      });
    }
  });

  it.each([
    ["SUCCESS", "succeeded"],
    ["UNSTABLE", "succeeded"],
    ["FAILURE", "failed"],
    ["ABORTED", "cancelled"],
    ["NOT_BUILT", "cancelled"],
  ] as const)("maps result %s to %s and keeps the raw result", (result, status) => {
    const release = onlyRelease(mapJenkins(buildVariant(completed, { status: result }), config)).release;
    expect(release.status).toBe(status);
    expect(release.ci.result).toBe(result);
    // The API and CLI (`--status ${currentBuild.currentResult}`) read the same word the same way.
    expect(normaliseStatus(result)).toBe(status);
  });

  it("ignores results and phases it does not know, and an outcome without a result", () => {
    expect(ignoredReason(mapJenkins(buildVariant(completed, { status: "WEIRD" }), config))).toMatch(/WEIRD/);
    expect(ignoredReason(mapJenkins(buildVariant(started, { phase: "NONE" }), config))).toMatch(/NONE/);
    expect(ignoredReason(mapJenkins(buildVariant(started, { phase: "COMPLETED" }), config))).toMatch(
      /without a build status/,
    );
  });
});

describe("mapJenkins: parameters and names", () => {
  const withParameters = (parameters: Record<string, unknown>) => buildVariant(completed, { parameters });

  it("sends a package named by parameters, with its version and the build's status", () => {
    const release = onlyRelease(
      mapJenkins(withParameters({ ENVIRONMENT: "prod-eu", PACKAGE: "asgard-web", VERSION: "2.4.1" }), config),
    ).release;
    expect(release.environment).toBe("prod-eu");
    expect(release.packages).toEqual([{ name: "asgard-web", version: "2.4.1", status: "succeeded" }]);
    expect(release.version).toBeUndefined();
  });

  it("sends a version alone as the release version, leaving the package to the receiver", () => {
    const release = onlyRelease(mapJenkins(withParameters({ VERSION: "2.4.1" }), config)).release;
    expect(release.version).toBe("2.4.1");
    expect(release.packages).toBeUndefined();
  });

  it("reads the parameter names from the configuration, exact case first", () => {
    const custom = parseConfig({
      jenkins: { parameters: { environment: ["TARGET"], version: ["BUILD_TAG"], package: ["APP_NAME"] } },
    });
    const body = withParameters({ target: "qa", TARGET: "staging", APP_NAME: "asgard", BUILD_TAG: "v9" });
    const release = onlyRelease(mapJenkins(body, custom)).release;
    expect(release.environment).toBe("staging");
    expect(release.packages).toEqual([{ name: "asgard", version: "v9", status: "succeeded" }]);
    expect(onlyRelease(mapJenkins(withParameters({ deploy_env: "qa" }), config)).release.environment).toBe(
      "qa",
    );
  });

  it("keeps parameters but drops credential-looking ones", () => {
    const body = withParameters({
      DEPLOY_ENV: "staging",
      AUTHOR: "jdoe",
      GITHUB_TOKEN: "ghp_x",
      DB_PASS: "x",
      SSH_PASSWORD: "x",
    });
    expect(onlyRelease(mapJenkins(body, config)).release.ci.parameters).toEqual({
      DEPLOY_ENV: "staging",
      AUTHOR: "jdoe",
    });
  });

  it("names a job in a folder by its full path and keeps two Jenkins apart by host", () => {
    const body = buildVariant(
      completed,
      { full_url: "https://ci.acme.io/job/payments/job/deploy%20api/7/", number: 7 },
      { name: "deploy api", url: "job/payments/job/deploy%20api/" },
    );
    const result = onlyRelease(mapJenkins(body, config));
    expect(result.key).toBe("jenkins:ci.acme.io/payments/deploy api:7");
    expect(result.release.ci.job).toBe("payments/deploy api");
  });

  it("keys by job alone when Jenkins has no root URL", () => {
    const copy = copyOf(completed);
    const { full_url: _url, ...build } = copyOf(copy.build);
    expect(onlyRelease(mapJenkins({ ...copy, build }, config)).key).toBe("jenkins:asgard:18");
  });

  it("reads owner/name from ssh and scp-like remotes, without credentials", () => {
    const remotes = {
      "git@github.com:acme/payments-api.git": "acme/payments-api",
      "ssh://git@gitlab.acme.io:2222/platform/tools/deployer.git": "platform/tools/deployer",
      "https://bot:s3cret@github.com/acme/web": "acme/web",
    };
    for (const [url, repository] of Object.entries(remotes)) {
      const body = buildVariant(completed, { scm: { url, branch: "main", commit: "abc" } });
      const release = onlyRelease(mapJenkins(body, config)).release;
      expect(release.repository).toBe(repository);
      expect(JSON.stringify(release)).not.toContain("s3cret");
    }
  });

  it("adds the endpoint's build notes", () => {
    const release = onlyRelease(
      mapJenkins(buildVariant(completed, { notes: "Deployed by the release train" }), config),
    ).release;
    expect(release.notes).toEqual(["Deployed by the release train"]);
  });
});

describe("mapJenkins: bad input", () => {
  it("ignores a notification without a build, naming the field", () => {
    expect(ignoredReason(mapJenkins({ name: "asgard" }, config))).toMatch(/build/);
  });

  it("ignores an environment parameter longer than core accepts", () => {
    const body = buildVariant(completed, { parameters: { DEPLOY_ENV: "x".repeat(201) } });
    expect(ignoredReason(mapJenkins(body, config))).toMatch(/200 characters/);
  });

  it.each([null, [], "payload", 3])("throws a typed error for a body that is not an object (%j)", (body) => {
    expect(() => mapJenkins(body, config)).toThrow(WebhookPayloadError);
  });
});
