import { getOctokit } from "@actions/github";
import type { Commit } from "@sponge/core";
import { z } from "zod";
import type { Changes, CompareCommits } from "./changes.js";

const compareAnswer = z.looseObject({
  commits: z.array(
    z.looseObject({
      sha: z.string(),
      commit: z.looseObject({
        message: z.string().optional(),
        author: z
          .looseObject({
            name: z.string().optional(),
            email: z.string().optional(),
            date: z.string().optional(),
          })
          .nullable()
          .optional(),
      }),
      author: z.looseObject({ login: z.string().optional() }).nullable().optional(),
    }),
  ),
  files: z
    .array(z.looseObject({ filename: z.string(), previous_filename: z.string().optional() }))
    .optional(),
});

export interface GithubCompareOptions {
  /** `github-token` (the job's GITHUB_TOKEN by default; needs `contents: read`). */
  token: string;
  owner: string;
  repo: string;
  /** GITHUB_API_URL (GHES: `https://HOST/api/v3`). */
  apiUrl: string;
  timeoutMs: number;
}

/**
 * GitHub's compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`), so the commits
 * between two deployments are known even in a shallow clone. One page: GitHub returns at most
 * 250 commits and 300 files there, which is plenty for a deployment.
 * https://docs.github.com/rest/commits/commits#compare-two-commits
 *
 * @example const compare = githubCompare({ token, owner: "acme", repo: "api", apiUrl, timeoutMs: 10_000 }); await compare("a1b2c3d", "e4f5a6b")
 */
export function githubCompare(options: GithubCompareOptions): CompareCommits {
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  return async (base, head) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let answer: { data: unknown };
    try {
      answer = await octokit.rest.repos.compareCommitsWithBasehead({
        owner: options.owner,
        repo: options.repo,
        basehead: `${base}...${head}`,
        request: { signal },
      });
    } catch (error) {
      if (signal.aborted) throw new Error(`no answer within ${options.timeoutMs} ms (aborted)`);
      throw error;
    }
    const parsed = compareAnswer.safeParse(answer.data);
    if (!parsed.success) throw new Error("GitHub's compare API answered with an unexpected body");
    return toChanges(parsed.data);
  };
}

function toChanges(answer: z.output<typeof compareAnswer>): Changes {
  const commits = answer.commits.map((item): Commit => {
    const author = item.author?.login ?? item.commit.author?.name ?? item.commit.author?.email;
    const timestamp = item.commit.author?.date;
    return {
      sha: item.sha,
      ...(item.commit.message !== undefined ? { message: item.commit.message } : {}),
      ...(author !== undefined ? { author } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
    };
  });
  const changedFiles = [
    ...new Set(
      (answer.files ?? []).flatMap((file) => [
        file.filename,
        ...(file.previous_filename ? [file.previous_filename] : []),
      ]),
    ),
  ];
  return { commits, changedFiles };
}
