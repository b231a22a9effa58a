import type { Commit } from "@sponge/core";
import { z } from "zod";

/*
 * The parts of a workflow's event payload (GITHUB_EVENT_PATH) the action reads:
 * https://docs.github.com/webhooks/webhook-events-and-payloads. Every field is optional and a
 * field of an unexpected type is dropped rather than failing the step: the payload is
 * evidence, not an input the user wrote.
 */

const text = z.string().optional().catch(undefined);
const files = z.array(z.string()).optional().catch(undefined);

const person = z
  .looseObject({ name: text, email: text, username: text, login: text })
  .optional()
  .catch(undefined);

const pushCommit = z.looseObject({
  id: z.string(),
  message: text,
  timestamp: text,
  author: person,
  added: files,
  removed: files,
  modified: files,
});

const schema = z.looseObject({
  head_commit: pushCommit.nullable().optional().catch(undefined),
  commits: z
    .array(z.unknown())
    .optional()
    .catch(undefined)
    .transform((list) =>
      (list ?? []).flatMap((item) => {
        const parsed = pushCommit.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      }),
    ),
  pusher: person,
  pull_request: z
    .looseObject({
      number: z.number().int().optional().catch(undefined),
      title: text,
      head: z.looseObject({ ref: text, sha: text }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  deployment: z.looseObject({ environment: text, sha: text, ref: text }).optional().catch(undefined),
});

type PushCommit = z.output<typeof pushCommit>;

/** What the action takes from an event payload. */
export interface EventFacts {
  headSha: string | undefined;
  headRef: string | undefined;
  prNumber: number | undefined;
  prTitle: string | undefined;
  pusher: string | undefined;
  deploymentEnvironment: string | undefined;
  /** Commits the event lists (push), oldest first, the head commit last. */
  commits: Commit[];
  /** Files those commits added, modified or removed. */
  changedFiles: string[];
}

/**
 * Reads the facts the action uses from an event payload of any event type.
 *
 * @example readEventPayload({ pull_request: { number: 7, title: "PAY-1 fix", head: { ref: "fix", sha: "abc" } } }).prNumber // 7
 */
export function readEventPayload(payload: unknown): EventFacts {
  const parsed = schema.safeParse(payload ?? {});
  const event = parsed.success ? parsed.data : schema.parse({});
  const listed = event.commits;
  const head = event.head_commit ?? undefined;
  const all = head && !listed.some((commit) => commit.id === head.id) ? [...listed, head] : listed;
  const changedFiles = [
    ...new Set(
      all.flatMap((commit) => [
        ...(commit.added ?? []),
        ...(commit.modified ?? []),
        ...(commit.removed ?? []),
      ]),
    ),
  ];
  return {
    headSha: event.pull_request?.head?.sha,
    headRef: event.pull_request?.head?.ref,
    prNumber: event.pull_request?.number,
    prTitle: event.pull_request?.title,
    pusher: event.pusher?.name ?? event.pusher?.login,
    deploymentEnvironment: event.deployment?.environment,
    commits: all.map(toCommit),
    changedFiles,
  };
}

function toCommit(commit: PushCommit): Commit {
  const author = commit.author?.username ?? commit.author?.name ?? commit.author?.email;
  return {
    sha: commit.id,
    ...(commit.message !== undefined ? { message: commit.message } : {}),
    ...(author !== undefined ? { author } : {}),
    ...(commit.timestamp !== undefined ? { timestamp: commit.timestamp } : {}),
  };
}
