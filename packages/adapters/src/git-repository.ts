import { stripUserinfo } from "./redact.js";

/**
 * `owner/name` (or `group/subgroup/name`) from a git remote URL: https, ssh or the
 * scp-like `git@host:owner/name.git`. Undefined when the URL has no such path.
 *
 * @example repositoryFromGitUrl("https://github.com/acme/api.git") // "acme/api"
 */
export function repositoryFromGitUrl(remote: string): string | undefined {
  const text = stripUserinfo(remote.trim());
  const scp = /^[\w.-]+@[\w.-]+:(?!\/\/)(.+)$/.exec(text);
  let path: string | undefined;
  if (scp) path = scp[1];
  else if (URL.canParse(text)) path = new URL(text).pathname;
  if (path === undefined) return undefined;
  const segments = path
    .replace(/\.git\/?$/, "")
    .split("/")
    .filter((segment) => segment !== "");
  if (segments.length < 2) return undefined;
  return segments.join("/");
}
