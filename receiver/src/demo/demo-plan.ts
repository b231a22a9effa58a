import type { Status } from "@sponge/core";
import { DEMO_TEAMS, type DemoEnvironment, type DemoPackage, type DemoTeam } from "./demo-organisation.js";
import type { Random } from "./random.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PlannedCommit {
  sha: string;
  message: string;
  author: string;
  timestamp: number;
}

export interface PlannedHost {
  name: string;
  status: Status;
  start: number;
  finish: number | null;
  message?: string;
}

export interface PlannedLog {
  ts: number;
  level: "info" | "warn" | "error";
  host?: string;
  message: string;
}

/** One deployment of the sample organisation, before it is written. */
export interface PlannedRelease {
  team: DemoTeam;
  pkg: DemoPackage;
  environment: DemoEnvironment;
  version: string;
  status: Status;
  start: number;
  finish: number | null;
  person: { name: string; login: string };
  head: string;
  commits: PlannedCommit[];
  hosts: PlannedHost[];
  logs: PlannedLog[];
  notes: string[];
  references: string[];
  runId: number;
}

const CHANGES: Record<string, string[]> = {
  payments: [
    "Round refunds to the cent",
    "Retry card captures on gateway timeouts",
    "Add SEPA mandate expiry",
    "Idempotent payout webhooks",
    "Split fee ledger entries per currency",
  ],
  web: [
    "Lazy-load product images",
    "Fix focus trap in the cart drawer",
    "New footer navigation",
    "Cache category pages for 60 s",
    "Show delivery estimates on product pages",
  ],
  platform: [
    "Rate limit per API key",
    "Rotate signing keys without downtime",
    "Upgrade TLS ciphers",
    "Trace ids in access logs",
    "Connection pool per upstream",
  ],
  data: [
    "Backfill March orders",
    "Partition events by day",
    "Faster synonym expansion",
    "Drop unused columns from the orders view",
    "Re-index products nightly",
  ],
  mobile: [
    "Batch home feed requests",
    "Push token refresh on login",
    "Trim payloads for older app versions",
    "Feature flag for the new onboarding",
  ],
};

const HOST_ERRORS = [
  "health check failed: HTTP 503 from /healthz after 60 s",
  "container exited with code 137 (out of memory)",
  "readiness probe timed out",
  "migration lock held by another deployment",
];

function shortName(pkg: DemoPackage): string {
  return pkg.name.replace(/^@[\w-]+\//, "");
}

function hostNames(pkg: DemoPackage, environment: DemoEnvironment): string[] {
  const base = shortName(pkg);
  if (pkg.hosts === 0 || environment === "development") return [];
  if (environment === "staging") return [`${base}-stg-1`];
  const suffix = environment === "prod-eu" ? "eu" : "prod";
  const count = environment === "prod-eu" ? Math.max(1, pkg.hosts - 1) : pkg.hosts;
  return Array.from({ length: count }, (_, i) => `${base}-${suffix}-${i + 1}`);
}

/**
 * Runs the hosts one after the other (a rolling deployment). A failing deployment stops at the host
 * that failed. Returns the hosts, the log lines and when the deployment ended.
 */
function rollOut(
  random: Random,
  plan: { pkg: DemoPackage; environment: DemoEnvironment; version: string; start: number },
  outcome: "succeeded" | "failed" | "running",
  now: number,
): { hosts: PlannedHost[]; logs: PlannedLog[]; finish: number | null } {
  const names = hostNames(plan.pkg, plan.environment);
  const logs: PlannedLog[] = [
    {
      ts: plan.start,
      level: "info",
      message: `Deploying ${plan.pkg.name} ${plan.version} to ${plan.environment}`,
    },
    {
      ts: plan.start + 4000,
      level: "info",
      message: `Pulling image registry.acme.example/${shortName(plan.pkg)}:${plan.version}`,
    },
  ];
  const hosts: PlannedHost[] = [];
  let at = plan.start + random.between(20_000, 60_000);
  const failAt = outcome === "failed" && names.length > 0 ? random.int(0, names.length - 1) : -1;
  for (const [index, name] of names.entries()) {
    const took = random.between(30_000, 150_000);
    if (outcome === "running" && (at + took > now || index === names.length - 1)) {
      if (at < now) {
        hosts.push({ name, status: "running", start: at, finish: null });
        logs.push({ ts: at, level: "info", host: name, message: "draining connections" });
      }
      break;
    }
    const failed = index === failAt;
    hosts.push({
      name,
      status: failed ? "failed" : "succeeded",
      start: at,
      finish: at + took,
      ...(failed ? { message: random.pick(HOST_ERRORS) } : {}),
    });
    logs.push({ ts: at, level: "info", host: name, message: "draining connections" });
    logs.push({ ts: at + took * 0.4, level: "info", host: name, message: `started ${plan.version}` });
    if (failed) {
      logs.push({
        ts: at + took,
        level: "error",
        host: name,
        message: hosts[hosts.length - 1]?.message ?? "failed",
      });
      at += took;
      break;
    }
    logs.push({ ts: at + took, level: "info", host: name, message: "health check passed" });
    at += took;
  }
  if (outcome === "running") return { hosts, logs, finish: null };
  const finish =
    names.length > 0 ? at + random.between(5_000, 20_000) : plan.start + random.between(90_000, 600_000);
  if (outcome === "failed" && names.length === 0) {
    logs.push({ ts: finish - 2000, level: "error", message: "smoke tests failed: 3 of 41 checks red" });
  }
  logs.push({
    ts: finish,
    level: outcome === "failed" ? "error" : "info",
    message: outcome === "failed" ? "Deployment failed" : "Deployment finished",
  });
  return { hosts, logs, finish };
}

interface PackageState {
  semver: [number, number, number];
  /** Planned succeeded versions per environment, latest last. */
  history: Map<DemoEnvironment, string[]>;
  /** When each environment is free again (its last deployment ended). */
  busyUntil: Map<DemoEnvironment, number>;
  /** The head commit of each version. */
  heads: Map<string, string>;
}

/**
 * Plans about four months of deployments of the sample organisation: every new version goes to
 * development, then staging, production and (for some packages) prod-eu, with failures, retries,
 * rollbacks, commits carrying ticket keys, host results and logs; then a few deployments still running
 * and a recent failed attempt. Sorted by start time, ready to be written in order.
 */
export function planDemo(random: Random, now: number, days: number): PlannedRelease[] {
  const plans: PlannedRelease[] = [];
  const cutoff = now - 40 * MINUTE;
  let runId = 7_000_000_000 + random.int(0, 99_999);
  const states = new Map<string, PackageState>();

  const deploy = (
    team: DemoTeam,
    pkg: DemoPackage,
    state: PackageState,
    environment: DemoEnvironment,
    version: string,
    start: number,
    outcome: "succeeded" | "failed" | "running",
    change: { head: string; commits: PlannedCommit[]; person: { name: string; login: string } },
    extra: { notes?: string[]; references?: string[] } = {},
  ): PlannedRelease => {
    const rolled = rollOut(random, { pkg, environment, version, start }, outcome, now);
    const plan: PlannedRelease = {
      team,
      pkg,
      environment,
      version,
      status: outcome,
      start,
      finish: rolled.finish,
      person: change.person,
      head: change.head,
      commits: change.commits,
      hosts: rolled.hosts,
      logs: environment === "development" && outcome === "succeeded" ? [] : rolled.logs,
      notes: extra.notes ?? [],
      references: extra.references ?? [],
      runId: runId++,
    };
    plans.push(plan);
    state.busyUntil.set(environment, rolled.finish ?? now);
    if (outcome === "succeeded")
      state.history.set(environment, [...(state.history.get(environment) ?? []), version]);
    return plan;
  };

  const free = (state: PackageState, environment: DemoEnvironment, at: number) =>
    at < cutoff && at > (state.busyUntil.get(environment) ?? 0) + 5 * MINUTE;

  const versionOf = (pkg: DemoPackage, state: PackageState, head: string): string => {
    if (pkg.shaVersions) return head.slice(0, 7);
    const [major, minor, patch] = state.semver;
    const text = `${major}.${minor}.${patch}`;
    return pkg.ci === "github" && !pkg.name.startsWith("@") ? `v${text}` : text;
  };

  const bump = (state: PackageState) => {
    const [major, minor, patch] = state.semver;
    state.semver = random.chance(0.2) ? [major, minor + 1, 0] : [major, minor, patch + 1];
  };

  const newChange = (team: DemoTeam, at: number) => {
    const person = random.pick(team.people);
    const count = random.int(1, 4);
    const commits: PlannedCommit[] = [];
    for (let i = 0; i < count; i++) {
      const ticket = `${team.jira}-${random.int(100, 999)}`;
      const text = random.pick(CHANGES[team.team] ?? ["Small fixes"]);
      const pr = random.int(200, 1800);
      commits.push({
        sha: random.sha(),
        message: random.chance(0.5)
          ? `${ticket} ${text}`
          : `Merge pull request #${pr} from acme/${ticket.toLowerCase()}\n\n${text}`,
        author: random.pick(team.people).name,
        timestamp: at - random.between(0.5 * HOUR, 3 * DAY),
      });
    }
    const head = commits[commits.length - 1]?.sha ?? random.sha();
    return { person, commits, head };
  };

  for (const team of DEMO_TEAMS) {
    for (const pkg of team.packages) {
      const state: PackageState = {
        semver: [random.int(1, 3), random.int(0, 12), 0],
        history: new Map(),
        busyUntil: new Map(),
        heads: new Map(),
      };
      states.set(pkg.name, state);
      let at = now - days * DAY + random.between(0, pkg.cadenceDays) * DAY;
      while (at < cutoff) {
        bump(state);
        const change = newChange(team, at);
        const version = versionOf(pkg, state, change.head);
        state.heads.set(version, change.head);
        let time = at + random.between(10, 60) * MINUTE;
        for (const environment of ["development", "staging", "production", "prod-eu"] as const) {
          if (environment === "prod-eu" && !pkg.prodEu) break;
          if (environment === "staging" && !random.chance(0.92)) break;
          if (environment === "production" && !random.chance(0.8)) break;
          if (!free(state, environment, time)) break;
          const failRate = { development: 0.08, staging: 0.07, production: 0.05, "prod-eu": 0.04 }[
            environment
          ];
          let release = deploy(
            team,
            pkg,
            state,
            environment,
            version,
            time,
            random.chance(failRate) ? "failed" : "succeeded",
            change,
          );
          if (release.status === "failed") {
            const retry = (release.finish ?? time) + random.between(15, 90) * MINUTE;
            if (!random.chance(0.6) || !free(state, environment, retry)) break;
            release = deploy(team, pkg, state, environment, version, retry, "succeeded", change, {
              notes: ["Retry after a failed deployment"],
            });
          }
          const ended = release.finish ?? time;
          if (environment.startsWith("prod") && random.chance(0.07)) {
            const previous = state.history.get(environment)?.at(-2);
            const back = ended + random.between(25, 150) * MINUTE;
            if (previous && free(state, environment, back)) {
              const restored = {
                head: state.heads.get(previous) ?? change.head,
                commits: [],
                person: random.pick(team.people),
              };
              deploy(team, pkg, state, environment, previous, back, "succeeded", restored, {
                notes: [`Rolling back ${version}: error rate above 2 % after the deployment`],
                references: [`${team.jira}-${random.int(100, 999)}`],
              });
              break;
            }
          }
          time =
            environment === "development"
              ? ended + random.between(1, 20) * HOUR
              : environment === "staging"
                ? ended + random.between(2, 40) * HOUR
                : ended + random.between(15, 90) * MINUTE;
        }
        at += pkg.cadenceDays * random.between(0.4, 1.6) * DAY;
      }
    }
  }

  const lookup = (name: string) => {
    for (const team of DEMO_TEAMS) {
      const pkg = team.packages.find((p) => p.name === name);
      const state = states.get(name);
      if (pkg && state) return { team, pkg, state };
    }
    throw new Error(`no demo package ${name}`);
  };
  const recent: [string, DemoEnvironment, number, "running" | "failed"][] = [
    ["payments-api", "production", 9, "running"],
    ["web-frontend", "staging", 4, "running"],
    ["api-gateway", "prod-eu", 14, "running"],
    ["search-indexer", "staging", 35, "failed"],
  ];
  for (const [name, environment, minutesAgo, outcome] of recent) {
    const { team, pkg, state } = lookup(name);
    bump(state);
    const start = now - minutesAgo * MINUTE;
    const change = newChange(team, start - 2 * HOUR);
    const notes = outcome === "running" ? ["Deployed from the release train"] : [];
    deploy(team, pkg, state, environment, versionOf(pkg, state, change.head), start, outcome, change, {
      notes,
    });
  }
  return plans.sort((a, b) => a.start - b.start);
}
