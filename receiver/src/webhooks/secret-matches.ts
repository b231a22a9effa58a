import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a presented secret with the configured one in constant time. Both sides are hashed first, so
 * the comparison neither leaks the secret's length nor depends on where the first difference is.
 *
 * @example secretMatches(c.req.header("x-gitlab-token"), config.webhooks.gitlabToken)
 */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  const given = createHash("sha256")
    .update(presented ?? "", "utf8")
    .digest();
  const wanted = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(given, wanted) && presented !== undefined;
}
