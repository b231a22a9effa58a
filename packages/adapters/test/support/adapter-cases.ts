import { createHmac } from "node:crypto";
import { parseConfig, type SpongeConfig } from "@sponge/core";
import {
  type AdapterResult,
  decodeCloudEvent,
  mapCdevent,
  mapGitHub,
  mapGitLab,
  mapJenkins,
} from "../../src/index.js";
import {
  copyOf,
  type Fixture,
  LOCAL_FIXTURES,
  octokitExamples,
  readFixtures,
  SHARED_FIXTURES,
} from "./fixtures.js";

/** One HTTP delivery as the receiver would hand it to an adapter: headers (with credentials) and parsed body. */
export interface Delivery {
  name: string;
  headers: Record<string, string>;
  body: unknown;
}

/** What the contract suite needs to know about one adapter. */
export interface AdapterCase {
  provider: "github" | "gitlab" | "jenkins" | "cdevents";
  config: SpongeConfig;
  deliveries: Delivery[];
  /** Calls the adapter the way the receiver does. */
  map(delivery: Delivery, config: SpongeConfig): AdapterResult;
  /** Values that must never appear in a result: webhook secrets, tokens, signatures, planted credentials. */
  secrets: string[];
}

const WEBHOOK_SECRET = "gh-webhook-s3cret-7f1e";
const GITLAB_TOKEN = "glpat-hook-token-9d2c";
const JENKINS_TOKEN = "jenkins-basic-pa55-41aa";
const CDEVENTS_TOKEN = "cdevents-bearer-t0ken-83fd";
const PLANTED = "planted-credential-5e6b";

function sign(body: unknown): string {
  return `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(JSON.stringify(body)).digest("hex")}`;
}

function githubDelivery(name: string, event: string, body: unknown): Delivery {
  return {
    name,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/044aadd",
      "x-github-event": event,
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-github-hook-id": "292430182",
      "x-hub-signature-256": sign(body),
    },
  };
}

function githubCase(): AdapterCase {
  const shared = readFixtures(SHARED_FIXTURES, "github").map((fixture) =>
    githubDelivery(fixture.name, fixture.name.split("/")[1]?.split(".")[0] ?? "", fixture.body),
  );
  const examples = octokitExamples().map((example, index) =>
    githubDelivery(`@octokit/webhooks-examples ${example.event} #${index}`, example.event, example.body),
  );
  const planted = copyOf(
    readFixtures(SHARED_FIXTURES, "github").find((f) => f.name.endsWith("success.json"))?.body,
  );
  const status = copyOf(planted.deployment_status);
  status.target_url = `https://deploy-bot:${PLANTED}@ci.example.com/runs/1`;
  planted.deployment_status = status;
  const deployment = copyOf(planted.deployment);
  deployment.payload = { token: PLANTED };
  planted.deployment = deployment;
  const deliveries = [
    ...shared,
    ...examples,
    githubDelivery(
      "deployment_status with credentials in target_url and payload",
      "deployment_status",
      planted,
    ),
  ];
  const signatures = deliveries.map((delivery) => delivery.headers["x-hub-signature-256"] ?? "");
  return {
    provider: "github",
    config: parseConfig({ github: { deployWorkflows: ["**"] } }),
    deliveries,
    map: (delivery, config) => mapGitHub(delivery.headers["x-github-event"] ?? "", delivery.body, config),
    secrets: [WEBHOOK_SECRET, PLANTED, ...signatures],
  };
}

function gitlabDelivery(name: string, event: string, body: unknown): Delivery {
  return {
    name,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitLab/17.4.0",
      "x-gitlab-event": event,
      "x-gitlab-token": GITLAB_TOKEN,
      "x-gitlab-instance": "https://gitlab.example.com",
      "idempotency-key": "7ab4f6f2-0a7c-4d2b-8d4e-4a4c0f8b0c11",
    },
  };
}

function gitlabEvent(fixture: Fixture): string {
  return fixture.name.includes("pipeline") ? "Pipeline Hook" : "Deployment Hook";
}

function gitlabCase(): AdapterCase {
  const fixtures = readFixtures(SHARED_FIXTURES, "gitlab");
  const shared = fixtures.map((fixture) => gitlabDelivery(fixture.name, gitlabEvent(fixture), fixture.body));
  const pipeline = copyOf(fixtures.find((f) => f.name.includes("pipeline"))?.body);
  const attributes = copyOf(pipeline.object_attributes);
  attributes.variables = [
    { key: "DEPLOY_TOKEN", value: PLANTED },
    { key: "DB_PASSWORD", value: PLANTED },
    { key: "REGION", value: "eu-west-1" },
  ];
  pipeline.object_attributes = attributes;
  pipeline.builds = (Array.isArray(pipeline.builds) ? pipeline.builds : []).map((raw) => {
    const build = copyOf(raw);
    if (build.name === "staging")
      Object.assign(build, { status: "running", started_at: "2016-08-12 15:27:00 UTC" });
    return build;
  });
  const deployment = copyOf(fixtures.find((f) => f.name.includes("deployment"))?.body);
  deployment.deployable_url = `https://ci-bot:${PLANTED}@gitlab.example.com/root/app/-/jobs/796`;
  return {
    provider: "gitlab",
    config: parseConfig({}),
    deliveries: [
      ...shared,
      gitlabDelivery(
        "pipeline with credential variables and a running staging job",
        "Pipeline Hook",
        pipeline,
      ),
      gitlabDelivery("deployment with credentials in deployable_url", "Deployment Hook", deployment),
      gitlabDelivery("push hook", "Push Hook", { object_kind: "push", ref: "refs/heads/main" }),
    ],
    map: (delivery, config) => mapGitLab(delivery.headers["x-gitlab-event"] ?? "", delivery.body, config),
    secrets: [GITLAB_TOKEN, PLANTED],
  };
}

function jenkinsDelivery(name: string, body: unknown): Delivery {
  return {
    name,
    body,
    headers: {
      "content-type": "application/json;charset=UTF-8",
      authorization: `Basic ${Buffer.from(`sponge:${JENKINS_TOKEN}`).toString("base64")}`,
    },
  };
}

function jenkinsCase(): AdapterCase {
  const fixtures = readFixtures(SHARED_FIXTURES, "jenkins");
  const planted = copyOf(fixtures.find((f) => f.name.endsWith("completed.constructed.json"))?.body);
  const build = copyOf(planted.build);
  build.parameters = {
    DEPLOY_ENV: "staging",
    API_TOKEN: PLANTED,
    DEPLOY_PASSWORD: PLANTED,
    NEXUS_PASS: PLANTED,
  };
  build.scm = { ...copyOf(build.scm), url: `https://deploy-bot:${PLANTED}@github.com/acme/asgard.git` };
  build.full_url = `https://admin:${PLANTED}@jenkins.example.com/job/asgard/18/`;
  planted.build = build;
  return {
    provider: "jenkins",
    config: parseConfig({}),
    deliveries: [
      ...fixtures.map((fixture) => jenkinsDelivery(fixture.name, fixture.body)),
      jenkinsDelivery("completed build with credential parameters and URLs", planted),
    ],
    map: (delivery, config) => mapJenkins(delivery.body, config),
    secrets: [JENKINS_TOKEN, PLANTED, Buffer.from(`sponge:${JENKINS_TOKEN}`).toString("base64")],
  };
}

/** The three ways a CDEvent reaches the receiver: structured, binary and bare. */
export function cdeventDeliveries(fixture: Fixture): Delivery[] {
  const body = copyOf(fixture.body);
  const context = copyOf(body.context);
  const subject = copyOf(body.subject);
  const authorization = `Bearer ${CDEVENTS_TOKEN}`;
  const attributes = {
    specversion: "1.0",
    id: String(context.id),
    source: String(context.source),
    type: String(context.type),
    subject: String(subject.id),
    time: String(context.timestamp),
  };
  return [
    {
      name: `${fixture.name} (structured)`,
      headers: { "content-type": "application/cloudevents+json; charset=utf-8", authorization },
      body: { ...attributes, datacontenttype: "application/json", data: body },
    },
    {
      name: `${fixture.name} (binary)`,
      headers: {
        "content-type": "application/json",
        authorization,
        "ce-specversion": attributes.specversion,
        "ce-id": attributes.id,
        "ce-source": encodeURIComponent(attributes.source),
        "ce-type": attributes.type,
        "ce-subject": attributes.subject,
        "ce-time": attributes.time,
      },
      body,
    },
    {
      name: `${fixture.name} (bare CDEvent)`,
      headers: { "content-type": "application/json", authorization },
      body,
    },
  ];
}

function cdeventsCase(): AdapterCase {
  const fixtures = [
    ...readFixtures(SHARED_FIXTURES, "cdevents"),
    ...readFixtures(LOCAL_FIXTURES, "cdevents"),
  ];
  const planted = copyOf(fixtures.find((f) => f.name.endsWith("cdevents/pipelinerun.finished.json"))?.body);
  const subject = copyOf(planted.subject);
  subject.content = { ...copyOf(subject.content), uri: `https://ci-bot:${PLANTED}@ci.example.com/runs/9` };
  planted.subject = subject;
  return {
    provider: "cdevents",
    config: parseConfig({}),
    deliveries: [
      ...fixtures.flatMap(cdeventDeliveries),
      ...cdeventDeliveries({ name: "pipelinerun.finished with credentials in uri", body: planted }),
    ],
    map: (delivery, config) => mapCdevent(decodeCloudEvent(delivery.headers, delivery.body), config),
    secrets: [CDEVENTS_TOKEN, PLANTED],
  };
}

/** Every adapter, with all of its recorded deliveries. */
export function adapterCases(): AdapterCase[] {
  return [githubCase(), gitlabCase(), jenkinsCase(), cdeventsCase()];
}
