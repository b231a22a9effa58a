import { cleanText, compact, firstText, isoTime } from "../fields.js";
import type { CommitWrite } from "../types.js";
import type { WorkflowRun } from "./schemas.js";

/** The head commit of a workflow run as a release commit (message and author feed inference). */
export function headCommit(run: WorkflowRun | undefined): CommitWrite[] | undefined {
  const commit = run?.head_commit;
  const sha = cleanText(commit?.id, 200);
  if (commit === undefined || sha === undefined) return undefined;
  return [
    compact({
      sha,
      message: cleanText(commit.message),
      author: firstText(commit.author?.name, commit.author?.email, commit.author?.username),
      timestamp: isoTime(commit.timestamp),
    }),
  ];
}
