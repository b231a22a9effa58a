import type { ReleaseResult } from "@sponge/adapters";
import { type ReleaseInput, releaseInput, type Source } from "@sponge/core";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../errors.js";
import { validate } from "../http/read-body.js";
import { createOrMergeRelease, updateRelease, type WriteResult } from "../releases/release-writer.js";
import type { Sql } from "../store/database.js";
import {
  claimDelivery,
  type DeliveryOutcome,
  findProcessedDelivery,
  insertDelivery,
  type Provider,
  settleDelivery,
} from "../store/deliveries.js";
import { applyRemoval } from "./apply-removal.js";
import { attemptInputs } from "./attempt-input.js";
import type { DecodedDelivery } from "./decode-delivery.js";
import { findActionReleases, foldInput, provisionalRelease, retireProvisional } from "./fold-into-action.js";

/** A delivery to record: what arrived, as it will be stored. */
export interface DeliveryRequest {
  provider: Provider;
  /** Headers without credentials (see storedHeaders). */
  headers: Record<string, string>;
  body: string;
  /** The delivery a replay re-runs; null for a delivery from the provider. */
  replayOf: number | null;
}

/** The answer to the provider (or the admin who replayed). */
export interface DeliveryReceipt {
  status: 200 | 201 | 202;
  body: {
    status: DeliveryOutcome;
    delivery: number;
    delivery_id: string;
    event: string;
    release_id: string | null;
    releases?: { id: string; key: string | null; outcome: "created" | "updated" }[];
    reason?: string;
    message?: string;
    /** Packages a removal took out of the environment. */
    removed?: string[];
    replay_of?: number;
  };
}

interface Written {
  release: WriteResult["release"];
  created: boolean;
}

const HTTP_STATUS: Record<Exclude<DeliveryOutcome, "error">, 200 | 201 | 202> = {
  created: 201,
  updated: 200,
  ignored: 202,
  duplicate: 200,
  ping: 200,
};

/**
 * Applies a decoded delivery and appends it to the delivery log in one write transaction, so a release
 * change is never logged without happening, nor the reverse. A delivery id already processed is logged as
 * `duplicate` and changes nothing. A delivery whose payload was refused is logged as `error` (in its own
 * transaction) and its ApiError rethrown for the HTTP answer.
 */
export async function recordDelivery(
  ctx: AppContext,
  request: DeliveryRequest,
  delivery: DecodedDelivery,
): Promise<DeliveryReceipt> {
  const base = {
    provider: request.provider,
    deliveryId: delivery.deliveryId,
    event: delivery.event,
    receivedAt: ctx.now(),
    headers: request.headers,
    replayOf: request.replayOf,
  };
  let inputs: { item: ReleaseResult; input: ReleaseInput }[] = [];
  let refusal = delivery.error;
  if (refusal === undefined && delivery.result !== undefined) {
    try {
      inputs = releaseItems(delivery.result).map((item) => ({
        item,
        input: validate(releaseInput, item.release),
      }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refusal = error;
    }
  }
  /** Logs a refused delivery in a transaction of its own (so it can be replayed) and throws its error. */
  const refuse = async (error: ApiError): Promise<never> => {
    await ctx.store.write((sql) =>
      insertDelivery(sql, {
        ...base,
        outcome: "error",
        releaseId: null,
        message: `${error.status} ${error.code}: ${error.message}`.slice(0, 4000),
        body: request.replayOf === null ? request.body : "",
      }),
    );
    throw error;
  };
  const result = delivery.result;
  if (refusal !== undefined || result === undefined) {
    return refuse(refusal ?? new ApiError(400, "bad_request", "the delivery could not be read"));
  }

  const writeContext = { config: ctx.config.sponge, now: base.receivedAt };
  const reply = (
    seq: number,
    outcome: Exclude<DeliveryOutcome, "error">,
    extra: Partial<DeliveryReceipt["body"]> = {},
  ): DeliveryReceipt => ({
    status: HTTP_STATUS[outcome],
    body: {
      status: outcome,
      delivery: seq,
      delivery_id: base.deliveryId,
      event: base.event,
      release_id: null,
      ...(request.replayOf === null ? {} : { replay_of: request.replayOf }),
      ...extra,
    },
  });

  // A write the release writer refuses (a time far in the future, say) rolls back with its delivery row.
  const receipt = await ctx.store
    .write(async (sql): Promise<DeliveryReceipt> => {
      // A replay is always a new row; a provider's delivery claims its id on the unique index first.
      const seq =
        request.replayOf === null
          ? await claimDelivery(sql, { ...base, body: request.body })
          : await insertDelivery(sql, {
              ...base,
              outcome: "ignored",
              releaseId: null,
              message: null,
              body: "",
            });
      if (seq === undefined) {
        const first = await findProcessedDelivery(sql, request.provider, base.deliveryId);
        const message = `already processed as delivery ${first?.id} (${first?.outcome}); nothing changed`;
        const releaseId = first?.release_id ?? null;
        const duplicate = await insertDelivery(sql, {
          ...base,
          outcome: "duplicate",
          releaseId,
          message,
          body: "",
        });
        return reply(duplicate, "duplicate", { release_id: releaseId, message });
      }

      if (result.kind === "ignored" || result.kind === "ping") {
        const message = result.kind === "ignored" ? result.reason : result.message;
        await settleDelivery(sql, seq, result.kind, null, message);
        return reply(seq, result.kind, result.kind === "ignored" ? { reason: message } : { message });
      }

      if (result.kind === "removal") {
        const applied = await applyRemoval(sql, result, base.receivedAt);
        await settleDelivery(sql, seq, applied.outcome, null, applied.message);
        return reply(
          seq,
          applied.outcome,
          applied.outcome === "ignored"
            ? { reason: applied.message }
            : { message: applied.message, removed: applied.removed },
        );
      }

      const written: Written[] = [];
      for (const { item, input } of inputs)
        written.push(...(await writeRelease(sql, writeContext, item, input)));
      const outcome = written.some((w) => w.created) ? "created" : "updated";
      const releases = written.map((w) => ({
        id: w.release.id,
        key: w.release.key,
        outcome: w.created ? ("created" as const) : ("updated" as const),
      }));
      const first = releases[0]?.id ?? null;
      const message = releases.map((r) => `${r.outcome} ${r.id}${r.key ? ` (${r.key})` : ""}`).join("; ");
      await settleDelivery(sql, seq, outcome, first, message.slice(0, 4000));
      return reply(seq, outcome, { release_id: first, releases });
    })
    .catch((error: unknown) =>
      error instanceof ApiError && error.status < 500 ? refuse(error) : Promise.reject(error),
    );
  for (const release of receipt.body.releases ?? []) {
    if (release.outcome === "created") ctx.metrics.releases.inc({ source: request.provider });
  }
  return receipt;
}

function releaseItems(result: NonNullable<DecodedDelivery["result"]>): ReleaseResult[] {
  if (result.kind === "release") return [result];
  if (result.kind === "releases") return result.releases;
  return [];
}

/**
 * Writes one adapter release, merged by its key; a GitHub deployment made by a workflow run folds into the
 * release(s) the action recorded for the same repository, run and environment instead, and a retried GitLab
 * job becomes its release's next attempt.
 */
async function writeRelease(
  sql: Sql,
  context: { config: AppContext["config"]["sponge"]; now: string },
  item: ReleaseResult,
  input: ReleaseInput,
): Promise<Written[]> {
  if (item.lookup !== undefined) {
    const targets = await findActionReleases(sql, item.lookup, input.ci?.run_attempt);
    if (targets.length > 0) {
      const provisional = await provisionalRelease(sql, item.key, input);
      const written: Written[] = [];
      for (const target of targets) {
        const result = await updateRelease(
          sql,
          context,
          target.release.id,
          foldInput(input, target.release, item.key),
          false,
        );
        written.push({ release: result.release, created: false });
      }
      const into = written[0];
      if (provisional !== undefined && into !== undefined)
        await retireProvisional(sql, provisional, into.release.id);
      return written;
    }
  }
  const source: Source = item.release.source;
  const writes = item.jobs === undefined ? [{ input }] : await attemptInputs(sql, item.key, item.jobs, input);
  const written: Written[] = [];
  for (const write of writes) {
    // An attempt whose guessed outcome gave way to the real one is corrected, as a PATCH would.
    const result =
      write.correct === undefined
        ? await createOrMergeRelease(sql, context, write.input, source)
        : await updateRelease(sql, context, write.correct, write.input, true);
    written.push({ release: result.release, created: result.created });
  }
  return written;
}
