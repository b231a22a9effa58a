import { type ReleaseInput, releaseInput, type Source } from "@sponge/core";
import { appendLogs } from "../releases/logs.js";
import { createOrMergeRelease } from "../releases/release-writer.js";
import type { Store } from "../store/store.js";
import { DEMO_KEY_PREFIX } from "./demo-database.js";
import { DEMO_CONFIG } from "./demo-organisation.js";
import { type PlannedRelease, planDemo } from "./demo-plan.js";
import { Random } from "./random.js";

/** What was recorded. */
export interface DemoSummary {
  releases: number;
  logLines: number;
  /** Ids of the releases left running. */
  running: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Releases written per transaction. */
const BATCH = 100;

/**
 * The request body the sample organisation's CI would send for a deployment: the GitHub Action sends
 * what it saw (actor, tag ref, run, environment, CODEOWNERS teams) and lets the receiver infer the rest;
 * Jenkins sends explicit fields and its build parameters; GitLab sends its pipeline; the CLI names
 * everything.
 */
export function demoInput(plan: PlannedRelease): { input: ReleaseInput; source: Source } {
  const { pkg, team } = plan;
  const tagged = !pkg.shaVersions;
  const ref = tagged ? `refs/tags/${plan.version}` : "refs/heads/main";
  const common = {
    status: plan.status,
    started_at: iso(plan.start),
    ...(plan.finish !== null ? { finished_at: iso(plan.finish) } : {}),
    repository: pkg.repository,
    commit: plan.head,
    commits: plan.commits.map((commit) => ({ ...commit, timestamp: iso(commit.timestamp) })),
    hosts: plan.hosts.map((host) => ({
      name: host.name,
      status: host.status,
      started_at: iso(host.start),
      ...(host.finish !== null ? { finished_at: iso(host.finish) } : {}),
      ...(host.message ? { message: host.message } : {}),
    })),
    notes: plan.notes,
    references: plan.references,
    key: `${DEMO_KEY_PREFIX}${plan.runId}`,
  };
  let body: Record<string, unknown>;
  let source: Source;
  switch (pkg.ci) {
    case "github": {
      source = "github-action";
      const explicit = pkg.name.startsWith("@");
      body = {
        ...common,
        ref,
        ...(explicit
          ? {
              packages: [
                { name: pkg.name, version: plan.version },
                { name: "storefront-assets", version: plan.version },
              ],
            }
          : {}),
        ci: {
          provider: "github",
          actor: plan.person.login,
          event: "push",
          ref,
          branch: tagged ? undefined : "main",
          run_id: String(plan.runId),
          run_attempt: 1,
          workflow: "deploy",
          job: `deploy-${plan.environment}`,
          run_url: `https://github.com/${pkg.repository}/actions/runs/${plan.runId}`,
          environment: plan.environment,
          ...(team.team === "web" ? { codeowners_teams: ["@acme/web-team"] } : {}),
        },
      };
      break;
    }
    case "jenkins":
      source = "jenkins";
      body = {
        ...common,
        environment: plan.environment,
        person: plan.person.name,
        packages: [{ name: pkg.name, version: plan.version }],
        url: `https://jenkins.acme.example/job/deploy-${pkg.name}/${plan.runId % 10_000}/`,
        ci: {
          provider: "jenkins",
          job: `deploy-${pkg.name}`,
          run_id: String(plan.runId % 10_000),
          parameters: { ENVIRONMENT: plan.environment, VERSION: plan.version },
        },
      };
      break;
    case "gitlab":
      source = "gitlab";
      body = {
        ...common,
        ref,
        ...(pkg.repository.startsWith("acme-data/") ? { team: team.team } : {}),
        ci: {
          provider: "gitlab",
          actor: plan.person.login,
          ref,
          run_id: String(plan.runId % 100_000),
          run_url: `https://gitlab.acme.example/${pkg.repository}/-/pipelines/${plan.runId % 100_000}`,
          environment: plan.environment,
        },
      };
      break;
    case "cli":
      source = "cli";
      body = {
        ...common,
        environment: plan.environment,
        person: plan.person.name,
        team: team.team,
        packages: [{ name: pkg.name, version: plan.version }],
      };
      break;
  }
  return { input: releaseInput.parse(body), source };
}

/**
 * Records the sample organisation into `store` through the receiver's own write path (inference,
 * previous versions, rollbacks, current versions, lead times), backfilled with explicit start and
 * finish times, in start order, `BATCH` releases per transaction.
 *
 * @example
 * const store = await Store.open({ url: "file:./data/demo.db" });
 * await seedDemo(store, { now: new Date() });
 */
export async function seedDemo(
  store: Store,
  options: { now: Date; days?: number; seed?: number },
): Promise<DemoSummary> {
  const now = options.now.getTime();
  const plans = planDemo(new Random(options.seed ?? 20_260_301), now, options.days ?? 120);
  const summary: DemoSummary = { releases: 0, logLines: 0, running: [] };
  for (let i = 0; i < plans.length; i += BATCH) {
    const batch = plans.slice(i, i + BATCH);
    await store.write(async (sql) => {
      for (const plan of batch) {
        const { input, source } = demoInput(plan);
        const at = iso(plan.finish ?? plan.start);
        const result = await createOrMergeRelease(sql, { config: DEMO_CONFIG, now: at }, input, source);
        summary.releases++;
        if (plan.status === "running") summary.running.push(result.release.id);
        if (plan.logs.length > 0) {
          const lines = plan.logs
            .sort((a, b) => a.ts - b.ts)
            .map((line) => ({ ts: iso(line.ts), level: line.level, host: line.host, message: line.message }));
          summary.logLines += await appendLogs(sql, result.release.id, lines, at);
        }
      }
    });
  }
  return summary;
}
