import { Webhooks } from "@octokit/webhooks";
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../app-context.js";
import { ApiError, notFound, unauthorized } from "../errors.js";
import { requireScope } from "../http/guards.js";
import { limitParam } from "../http/query-params.js";
import { validate } from "../http/read-body.js";
import { BodyBudget, bodyText, limitBody } from "../http/request-body.js";
import {
  findProcessedDelivery,
  getDelivery,
  listDeliveries,
  OUTCOMES,
  PROVIDERS,
  type Provider,
} from "../store/deliveries.js";
import { decodeDelivery } from "../webhooks/decode-delivery.js";
import { type DeliveryReceipt, recordDelivery } from "../webhooks/record-delivery.js";
import { storedHeaders } from "../webhooks/stored-headers.js";
import { webhookGuard } from "../webhooks/webhook-guard.js";
import { webhookCounter } from "../webhooks/webhook-metrics.js";

export const deliveriesQuery = z.object({
  provider: z.enum(PROVIDERS, { error: `expected one of ${PROVIDERS.join(", ")}` }).optional(),
  outcome: z.enum(OUTCOMES, { error: `expected one of ${OUTCOMES.join(", ")}` }).optional(),
  limit: limitParam(50, 500),
  cursor: z.coerce
    .number({ error: "expected a next_cursor value returned by this endpoint" })
    .int()
    .positive()
    .optional(),
});

/** The `:id` path parameter, so that a bad one is reported as the field `id`. */
const deliveryParams = z.object({
  id: z.coerce.number({ error: "expected a delivery id (a number)" }).int().positive(),
});

/**
 * `POST /webhooks/{github,gitlab,jenkins,cdevents}` and the delivery log (`GET /api/deliveries`,
 * `GET /api/deliveries/:id`, `POST /api/deliveries/:id/replay`, admin scope).
 */
export function webhookRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = requireScope(ctx, "admin");
  const body = limitBody(ctx.config.maxWebhookBytes);
  const deliveries = webhookCounter(ctx.metrics.registry);
  const refused = (provider: Provider) => deliveries.inc({ provider, outcome: "refused" });
  const githubSecret = ctx.config.webhooks.githubSecret;
  // GitHub bodies read at once before their signatures are checked: four of the largest allowed past the
  // first 1/25 (1 MiB) of each, and 32 of those first parts (GitHub's deliveries are tens of kilobytes).
  const small = ctx.config.maxWebhookBytes / 25;
  const unverified = new BodyBudget({
    capacity: 4 * ctx.config.maxWebhookBytes,
    small,
    smallCapacity: 32 * small,
  });
  const github = githubSecret ? new Webhooks({ secret: githubSecret }) : undefined;

  const receive = async (provider: Provider, headers: Headers, text: string): Promise<DeliveryReceipt> => {
    const request = { provider, headers: storedHeaders(headers), body: text, replayOf: null };
    try {
      const receipt = await recordDelivery(
        ctx,
        request,
        decodeDelivery(provider, headers, text, ctx.config.sponge),
      );
      deliveries.inc({ provider, outcome: receipt.body.status });
      return receipt;
    } catch (error) {
      if (error instanceof ApiError) deliveries.inc({ provider, outcome: "error" });
      throw error;
    }
  };

  app.post("/webhooks/github", webhookGuard(ctx, "github", refused), body, async (c) => {
    let text: string;
    if (github !== undefined) {
      // Read whole before its signature can be checked: those bytes count against a shared bound.
      const held = unverified.reserve();
      try {
        text = await bodyText(c, held.take);
        const signature = c.req.header("x-hub-signature-256")?.trim() ?? "";
        // Checked on the raw body before anything parses it (constant-time compare inside verify).
        const valid = text !== "" && (await github.verify(text, signature).catch(() => false));
        if (!valid) {
          refused("github");
          throw unauthorized("X-Hub-Signature-256 does not match the body signed with the configured secret");
        }
      } finally {
        held.end();
      }
    } else {
      text = await bodyText(c);
    }
    const receipt = await receive("github", c.req.raw.headers, text);
    return c.json(receipt.body, receipt.status);
  });

  for (const provider of ["gitlab", "jenkins", "cdevents"] as const) {
    app.post(`/webhooks/${provider}`, webhookGuard(ctx, provider, refused), body, async (c) => {
      const receipt = await receive(provider, c.req.raw.headers, await bodyText(c));
      return c.json(receipt.body, receipt.status);
    });
  }

  app.get("/api/deliveries", admin, async (c) => {
    const query = validate(deliveriesQuery, c.req.query());
    const page = await listDeliveries(ctx.store.reader, {
      provider: query.provider,
      outcome: query.outcome,
      before: query.cursor,
      limit: query.limit,
    });
    return c.json({
      deliveries: page.deliveries,
      next_cursor: page.next === null ? null : String(page.next),
    });
  });

  app.get("/api/deliveries/:id", admin, async (c) => {
    const { id } = validate(deliveryParams, c.req.param());
    const delivery = await getDelivery(ctx.store.reader, id);
    if (delivery === undefined) throw notFound(`delivery ${id}`);
    return c.json(delivery);
  });

  app.post("/api/deliveries/:id/replay", admin, async (c) => {
    const { id } = validate(deliveryParams, c.req.param());
    const original = await replaySource(ctx, id);
    const headers = new Headers(original.headers);
    const request = {
      provider: original.provider,
      headers: original.headers,
      body: original.body,
      replayOf: original.id,
    };
    const receipt = await recordDelivery(
      ctx,
      request,
      decodeDelivery(original.provider, headers, original.body, ctx.config.sponge),
    );
    return c.json(receipt.body, receipt.status);
  });

  return app;
}

/**
 * The delivery whose body a replay runs: the row itself, or for a duplicate or a replay (stored without a
 * body) the delivery they refer to.
 */
async function replaySource(ctx: AppContext, id: number) {
  const row = await getDelivery(ctx.store.reader, id);
  if (row === undefined) throw notFound(`delivery ${id}`);
  if (row.replay_of !== null) return replaySource(ctx, row.replay_of);
  if (row.outcome !== "duplicate") return row;
  const first = await findProcessedDelivery(ctx.store.reader, row.provider, row.delivery_id);
  if (first === undefined) throw notFound(`the original of delivery ${id}`);
  return replaySource(ctx, first.id);
}
