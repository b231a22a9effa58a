import { type Commit, type Release, type Status, text, tierOf } from "@sponge/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { ApiError, notFound, quoted } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { limitParam, requiredText } from "../http/query-params.js";
import { validate } from "../http/read-body.js";
import { sendJson } from "../http/respond.js";
import { ReadCache } from "../store/read-cache.js";
import {
  allCurrentVersions,
  deploymentsAfter,
  environmentActivity,
  environmentNames,
  hostReleaseDocs,
  lastDeploymentOfVersion,
  packageNames,
} from "../store/read-queries.js";
import { type CurrentVersion, currentVersion, getReleaseDoc } from "../store/release-reads.js";
import { lastRemoval, removedAt } from "../store/removals.js";

const tier = z.enum(["production", "staging", "testing", "development"], {
  error: "expected production, staging, testing or development",
});

export const packagesQuery = z.object({ environment: text.optional() });
export const currentQuery = z.object({ environment: text.optional() });
export const environmentsQuery = z.object({ tier: tier.optional() });
export const hostQuery = z.object({ limit: limitParam(20, 200) });
export const compareQuery = z.object({
  package: requiredText,
  from: requiredText,
  to: text.optional(),
  limit: limitParam(100, 500),
});

/** How many of a host's latest releases its package list is derived from. */
const HOST_HISTORY = 500;

/** Current versions, environments, hosts and the drift between two environments. */
export function readRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requireScope(ctx, "read");
  const defaultEnvironment = () => ctx.config.sponge.defaultEnvironment;
  /** Serialised answers of the current-version route, by package and environment. */
  const currents = new ReadCache<string | undefined>(ctx.store);

  app.get("/api/packages", read, async (c) => {
    const query = validate(packagesQuery, c.req.query());
    const current = await allCurrentVersions(ctx.store.reader, query.environment);
    const byName = new Map<string, CurrentVersion[]>();
    if (query.environment === undefined) {
      for (const name of await packageNames(ctx.store.reader)) byName.set(name, []);
    }
    for (const row of current) byName.set(row.package, [...(byName.get(row.package) ?? []), row]);
    const packages = [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, rows]) => ({
        name,
        environments: Object.fromEntries(
          rows.map(({ package: _, environment, ...rest }) => [environment, rest]),
        ),
      }));
    return c.json({ packages });
  });

  app.get("/api/packages/:name{.+}/current", read, async (c) => {
    const name = c.req.param("name");
    // The hottest read of all: the query string holds one optional word, so it is read directly.
    const environment = c.req.query("environment")?.trim() || defaultEnvironment();
    const body = await currents.get(`${name}\u0000${environment}`, async () => {
      const current = await currentVersion(ctx.store.reader, name, environment);
      return current && JSON.stringify(currentView(current));
    });
    if (!body) {
      const removal = await lastRemoval(ctx.store.reader, name, environment);
      if (removal !== undefined) {
        throw new ApiError(
          404,
          "not_found",
          `${quoted(name)} was removed from ${quoted(environment)} at ${removal.removed_at} and has not been deployed there since`,
        );
      }
      throw notFound(`a deployment of ${quoted(name)} in ${quoted(environment)}`);
    }
    return sendJson(body);
  });

  app.get("/api/environments", read, async (c) => {
    const query = validate(environmentsQuery, c.req.query());
    const configured = ctx.config.sponge.environments;
    const names = [...new Set([...Object.keys(configured), ...(await environmentNames(ctx.store.reader))])]
      .filter((name) => query.tier === undefined || tierOf(ctx.config.sponge, name) === query.tier)
      .sort();
    const environments = [];
    for (const name of names) {
      environments.push({
        name,
        tier: tierOf(ctx.config.sponge, name),
        configured: Object.hasOwn(configured, name),
        default: name === defaultEnvironment(),
        ...(await environmentActivity(ctx.store.reader, name)),
      });
    }
    return c.json({ environments });
  });

  app.get("/api/hosts/:name{.+}", read, async (c) => {
    const host = c.req.param("name");
    const query = validate(hostQuery, c.req.query());
    const docs = await hostReleaseDocs(ctx.store.reader, host, Math.max(query.limit, HOST_HISTORY));
    if (docs.length === 0) throw notFound(`host ${quoted(host)}`);
    const { finishes, ...view } = describeHost(host, docs, query.limit);
    // A package taken out of the environment after its deployment there finished runs on the host no more
    // (the same comparison that decides the current version).
    const kept = [];
    for (const pkg of view.packages) {
      const removed = await removedAt(ctx.store.reader, pkg.name, pkg.environment);
      const finished = finishes.get(`${pkg.name}\u0000${pkg.environment}`) ?? pkg.deployed_at ?? "";
      if (removed === undefined || removed < finished) kept.push(pkg);
    }
    return c.json({ ...view, packages: kept });
  });

  app.get("/api/compare", read, async (c) => {
    const query = validate(compareQuery, c.req.query());
    const to = query.to ?? defaultEnvironment();
    return c.json(await compareEnvironments(ctx, query.package, query.from, to, query.limit));
  });

  return app;
}

/** The documented fields only (the row may carry driver extras). */
function currentView(row: CurrentVersion): CurrentVersion {
  return {
    package: row.package,
    environment: row.environment,
    version: row.version,
    release_id: row.release_id,
    deployed_at: row.deployed_at,
    person: row.person,
    team: row.team,
    commit: row.commit,
  };
}

interface HostPackage {
  name: string;
  environment: string;
  version: string | null;
  release_id: string;
  deployed_at: string | null;
}

/**
 * A host's view from its latest releases (newest first): per package and environment the newest
 * version that succeeded on it, and the latest `limit` deployments with the host's own result; `finishes`
 * holds when each of those package deployments finished (not shown).
 */
function describeHost(host: string, docs: readonly string[], limit: number) {
  const packages = new Map<string, HostPackage>();
  const finishes = new Map<string, string | null>();
  const deployments = [];
  for (const doc of docs) {
    const release = JSON.parse(doc) as Release;
    const entry = release.hosts.find((h) => h.name === host);
    if (!entry) continue;
    const touched = release.packages.filter((p) => entry.package === null || p.name === entry.package);
    if (deployments.length < limit) {
      deployments.push({
        release_id: release.id,
        environment: release.environment,
        status: entry.status,
        release_status: release.status,
        packages: touched.map((p) => ({ name: p.name, version: p.version })),
        started_at: entry.started_at,
        finished_at: entry.finished_at,
        message: entry.message,
      });
    }
    for (const pkg of touched) {
      const key = `${pkg.name}\u0000${release.environment}`;
      if (packages.has(key) || !succeededOnHost(entry.status, pkg.status)) continue;
      packages.set(key, {
        name: pkg.name,
        environment: release.environment,
        version: pkg.version,
        release_id: release.id,
        deployed_at: entry.finished_at ?? pkg.finished_at,
      });
      finishes.set(key, pkg.finished_at);
    }
  }
  const ordered = [...packages.values()].sort((a, b) =>
    a.name === b.name ? compare(a.environment, b.environment) : compare(a.name, b.name),
  );
  return { host, packages: ordered, deployments, finishes };
}

function succeededOnHost(hostStatus: Status, packageStatus: Status): boolean {
  return hostStatus === "succeeded" && packageStatus === "succeeded";
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What `from` runs that `to` does not yet: the succeeded deployments of the package in `from` after the
 * anchor, oldest first. The anchor is the latest deployment in `from` of the version current in `to`;
 * when that version never ran in `from`, it is the moment `to`'s current version was deployed; when
 * `to` never ran the package, everything `from` deployed counts. See docs/read-api.md ("Environment drift").
 */
async function compareEnvironments(ctx: AppContext, name: string, from: string, to: string, limit: number) {
  const sql = ctx.store.reader;
  const fromCurrent = await currentVersion(sql, name, from);
  const toCurrent = await currentVersion(sql, name, to);
  let anchor: { kind: "version" | "time" | "none"; release_id: string | null; finished_at: string | null } = {
    kind: "none",
    release_id: null,
    finished_at: null,
  };
  let after: { finished_at: string; release_seq: number } | undefined;
  if (toCurrent) {
    const same = await lastDeploymentOfVersion(sql, name, from, toCurrent.version);
    if (same) {
      after = same;
      anchor = { kind: "version", release_id: same.release_id, finished_at: same.finished_at };
    } else {
      after = { finished_at: toCurrent.deployed_at, release_seq: Number.MAX_SAFE_INTEGER };
      anchor = { kind: "time", release_id: toCurrent.release_id, finished_at: toCurrent.deployed_at };
    }
  }
  // Nothing runs in `from` (never deployed there, or removed since): it has nothing `to` lacks.
  const rows = fromCurrent === undefined ? [] : await deploymentsAfter(sql, name, from, after, limit);
  const truncated = rows.length > limit;
  const toDoc = toCurrent ? await getReleaseDoc(sql, toCurrent.release_id) : undefined;
  const shipped = new Set<string>();
  const shippedReferences = new Set<string>();
  if (toDoc) {
    const release = JSON.parse(toDoc) as Release;
    for (const commit of release.commits) shipped.add(commit.sha);
    if (release.commit) shipped.add(release.commit);
    for (const reference of release.references) shippedReferences.add(reference);
  }
  const ahead = [];
  const versions: (string | null)[] = [];
  const commits = new Map<string, Commit>();
  const references = new Set<string>();
  for (const row of rows.slice(0, limit)) {
    const release = JSON.parse(row.doc) as Release;
    ahead.push({
      release_id: release.id,
      version: row.version,
      finished_at: row.finished_at,
      person: release.person,
      team: release.team,
      commit: release.commit,
      references: release.references,
      commits: release.commits,
    });
    if (!versions.includes(row.version)) versions.push(row.version);
    const all =
      release.commit && !release.commits.some((c) => c.sha === release.commit)
        ? [...release.commits, { sha: release.commit }]
        : release.commits;
    for (const commit of all)
      if (!shipped.has(commit.sha) && !commits.has(commit.sha)) commits.set(commit.sha, commit);
    for (const reference of release.references)
      if (!shippedReferences.has(reference)) references.add(reference);
  }
  const summary = (current: CurrentVersion | undefined) =>
    current
      ? {
          environment: current.environment,
          version: current.version,
          release_id: current.release_id,
          deployed_at: current.deployed_at,
        }
      : null;
  return {
    package: name,
    from: { environment: from, current: summary(fromCurrent) },
    to: { environment: to, current: summary(toCurrent) },
    in_sync:
      fromCurrent !== undefined && toCurrent !== undefined && fromCurrent.version === toCurrent.version,
    anchor,
    ahead,
    versions,
    commits: [...commits.values()],
    references: [...references],
    truncated,
  };
}
