import type { Release } from "@sponge/core";

/**
 * A stored release document. The store writes these itself from validated input (release-rows.ts), so
 * they are trusted like the store's own reads.
 */
export function parseReleaseDoc(doc: string): Release {
  return JSON.parse(doc) as Release;
}
