import {
  finishInput,
  hostList,
  logInput,
  MAX_LOG_LINES,
  packageInput,
  packageList,
  type ReleaseInput,
  releaseInput,
  status,
  text,
  timestamp,
} from "@sponge/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { claimRelease, claimRepository, ownsRepository, type Principal } from "../auth/principal.js";
import { forbidden, notFound, quoted, unprocessable } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { cursorParam, limitParam, sinceBeforeUntil } from "../http/query-params.js";
import { readJson, validate } from "../http/read-body.js";
import { bodyText, limitBody } from "../http/request-body.js";
import { requestHeader } from "../http/request-header.js";
import { encodeCursor, sendJson } from "../http/respond.js";
import { appendLogs } from "../releases/logs.js";
import { getReleaseDoc, listReleases, releaseLogs } from "../store/release-reads.js";
import { loadById } from "../store/release-rows.js";
import { writeContext } from "./write-context.js";

export const listQuery = z
  .object({
    package: text.optional(),
    environment: text.optional(),
    status: status.optional(),
    team: text.optional(),
    person: text.optional(),
    platform: text.optional(),
    reference: text.optional(),
    host: text.optional(),
    since: timestamp.optional(),
    until: timestamp.optional(),
    limit: limitParam(50, 500),
    cursor: cursorParam("expected a next_cursor value returned by this endpoint").optional(),
  })
  .refine(...sinceBeforeUntil);

/** The query of `GET /api/releases/:id/logs`: the lines after the id `after`, at most `limit` of them. */
export const logsQuery = z.object({
  after: z.coerce.number({ error: "expected a number" }).int().min(0).default(0),
  limit: limitParam(1000, 10_000),
});

/** A text log's non-blank lines; more than MAX_LOG_LINES is a 422 (send them in several requests). */
function textLogLines(body: string): { message: string }[] {
  const lines: { message: string }[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    if (lines.length === MAX_LOG_LINES) {
      throw unprocessable([
        {
          field: "body",
          message: `at most ${MAX_LOG_LINES.toLocaleString("en-US")} lines per request; send the rest in another`,
        },
      ]);
    }
    lines.push({ message: line });
  }
  return lines;
}

/** The release API: /api/releases and its sub-resources. */
export function releaseRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requireScope(ctx, "read");
  const write = requireScope(ctx, "write");
  const body = limitBody(ctx.config.maxBodyBytes);

  /** An OIDC caller may add log lines only to releases of its own repository (not to one without any). */
  const guardLogs = async (principal: Principal | undefined, id: string) => {
    if (principal?.kind !== "oidc") return;
    const existing = await loadById(ctx.store.reader, id);
    if (existing && !ownsRepository(principal, existing.release.repository)) {
      throw forbidden(`this OIDC token may only write releases of ${principal.repository}`);
    }
  };

  app.post("/api/releases", write, body, async (c) => {
    const input = await readJson(c, releaseInput);
    claimRelease(c.get("principal"), input);
    const result = await ctx.store.perform("createOrMerge", writeContext(ctx, c.get("principal")), {
      input,
      source: "api",
    });
    if (result.created) ctx.metrics.releases.inc({ source: result.source });
    return sendJson(result.doc, result.created ? 201 : 200, {
      Location: `/api/releases/${result.id}`,
    });
  });

  app.get("/api/releases", read, async (c) => {
    const query = validate(listQuery, c.req.query());
    const page = await listReleases(ctx.store.reader, query);
    const next = page.next ? JSON.stringify(encodeCursor(page.next)) : "null";
    return sendJson(`{"releases":[${page.docs.join(",")}],"next_cursor":${next}}`);
  });

  app.get("/api/releases/:id", read, async (c) => {
    const doc = await getReleaseDoc(ctx.store.reader, c.req.param("id"));
    if (doc === undefined) throw notFound(`release ${quoted(c.req.param("id"))}`);
    return sendJson(doc);
  });

  app.patch("/api/releases/:id", write, body, async (c) => {
    const id = c.req.param("id");
    const input: ReleaseInput = await readJson(c, releaseInput);
    if (input.repository !== undefined) claimRepository(c.get("principal"), input.repository);
    delete input.key;
    const result = await ctx.store.perform("update", writeContext(ctx, c.get("principal")), {
      id,
      input,
      force: true,
    });
    return sendJson(result.doc);
  });

  app.post("/api/releases/:id/finish", write, body, async (c) => {
    const id = c.req.param("id");
    const input = await readJson(c, finishInput);
    const finish: ReleaseInput = {
      status: input.status ?? (input.success === false ? "failed" : "succeeded"),
      finished_at: input.finished_at,
      notes: input.notes,
      extra: {},
    };
    const result = await ctx.store.perform("update", writeContext(ctx, c.get("principal")), {
      id,
      input: finish,
      force: false,
    });
    return sendJson(result.doc);
  });

  app.post("/api/releases/:id/packages", write, body, async (c) => {
    const id = c.req.param("id");
    const packages = await readJson(c, z.union([packageList, z.object({ packages: packageList })]), []);
    const list = Array.isArray(packages) ? packages : packages.packages;
    const result = await ctx.store.perform("update", writeContext(ctx, c.get("principal")), {
      id,
      input: { packages: list, extra: {} },
      force: false,
    });
    return sendJson(result.doc, 201);
  });

  app.patch("/api/releases/:id/packages/:name{.+}", write, body, async (c) => {
    const id = c.req.param("id");
    const name = c.req.param("name");
    const change = await readJson(c, z.looseObject({}));
    const pkg = validate(packageInput, { ...change, name });
    if (typeof pkg !== "object" || !("name" in pkg)) throw notFound(`package ${quoted(name)}`);
    const result = await ctx.store.perform("changePackage", writeContext(ctx, c.get("principal")), {
      id,
      name,
      change: pkg,
    });
    return sendJson(result.doc);
  });

  app.post("/api/releases/:id/hosts", write, body, async (c) => {
    const id = c.req.param("id");
    const hosts = await readJson(c, z.union([hostList, z.object({ hosts: hostList })]), []);
    const list = Array.isArray(hosts) ? hosts : hosts.hosts;
    const result = await ctx.store.perform("addHosts", writeContext(ctx, c.get("principal")), {
      id,
      hosts: list,
    });
    return sendJson(result.doc, 201);
  });

  app.post("/api/releases/:id/logs", write, limitBody(ctx.config.maxLogBytes), async (c) => {
    const id = c.req.param("id");
    const type = requestHeader(c, "content-type") ?? "";
    await guardLogs(c.get("principal"), id);
    const entries = /^text\/plain\b/i.test(type)
      ? textLogLines(await bodyText(c))
      : await readJson(c, logInput, []);
    const batchKey = requestHeader(c, "idempotency-key")?.slice(0, 200);
    const count = await ctx.store.write((sql) => appendLogs(sql, id, entries, ctx.now(), batchKey));
    return c.json({ appended: count }, 201);
  });

  app.get("/api/releases/:id/logs", read, async (c) => {
    const id = c.req.param("id");
    const query = validate(logsQuery, c.req.query());
    if ((await getReleaseDoc(ctx.store.reader, id)) === undefined) throw notFound(`release ${quoted(id)}`);
    // One line more than the page says whether another page follows.
    const rows = await releaseLogs(ctx.store.reader, id, query.after, query.limit + 1);
    const logs = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
    const last = logs[logs.length - 1];
    return c.json({ logs, next_after: rows.length > query.limit && last ? last.id : null });
  });

  return app;
}
