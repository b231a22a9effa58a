import { isTerminal, releaseInput, type SpongeConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { AdapterResult, ReleaseWrite } from "../src/index.js";
import { type AdapterCase, adapterCases, type Delivery } from "./support/adapter-cases.js";
import { releasesOf } from "./support/results.js";

/**
 * The contract every CI adapter honours, run over all of its recorded deliveries
 * (the shape of Hono's `router/common.case.test.ts`: one suite, one case per implementation).
 */
function runAdapterContract(adapter: AdapterCase): void {
  const run = (delivery: Delivery, config: SpongeConfig = adapter.config): AdapterResult =>
    adapter.map(structuredClone(delivery), config);

  describe(`${adapter.provider} adapter contract`, () => {
    it("has recorded deliveries, and at least one becomes a release", () => {
      expect(adapter.deliveries.length).toBeGreaterThan(0);
      const kinds = adapter.deliveries.map((delivery) => run(delivery).kind);
      expect(kinds.some((kind) => kind === "release" || kind === "releases")).toBe(true);
    });

    describe.each(adapter.deliveries.map((delivery) => [delivery.name, delivery] as const))(
      "%s",
      (_name, delivery) => {
        it("gives release, releases, removal, ignored or ping, and never throws", () => {
          const result = run(delivery);
          expect(["release", "releases", "removal", "ignored", "ping"]).toContain(result.kind);
          if (result.kind === "ignored") expect(result.reason.trim().length).toBeGreaterThan(10);
          if (result.kind === "ping") expect(result.message.trim()).not.toBe("");
          if (result.kind === "releases") expect(result.releases.length).toBeGreaterThanOrEqual(2);
          if (result.kind === "removal") expect(result.service.trim()).not.toBe("");
        });

        it("writes releases that core's releaseInput accepts, as plain JSON", () => {
          const result = run(delivery);
          for (const release of releasesOf(result)) {
            const parsed = releaseInput.safeParse(release.release);
            expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
            expect(JSON.parse(JSON.stringify(release))).toEqual(release);
            expect(release.key).toBe(release.release.key);
            expect(release.key.startsWith(`${adapter.provider}:`)).toBe(true);
            expect(release.release.source).toBe(adapter.provider);
            expect(release.release.ci.provider).toBe(adapter.provider);
            // Unknown fields would land in metadata: an adapter sends only fields core knows.
            expect(parsed.data?.extra).toEqual({});
          }
        });

        it("never dates the finish of a release it reports as queued or running", () => {
          for (const { release } of releasesOf(run(delivery))) {
            if (release.status !== undefined && !isTerminal(release.status)) {
              expect(release.finished_at).toBeUndefined();
            }
            for (const pkg of release.packages ?? []) {
              if (release.status !== undefined) expect(pkg.status).toBe(release.status);
            }
          }
        });

        it("gives the same result, and the same key, for the same payload", () => {
          const first = run(delivery);
          const second = run(delivery);
          expect(second).toEqual(first);
          expect(releasesOf(second).map((r) => r.key)).toEqual(releasesOf(first).map((r) => r.key));
        });

        it("does not modify the payload", () => {
          const copy = structuredClone(delivery);
          adapter.map(copy, adapter.config);
          expect(copy).toEqual(delivery);
        });

        it("never carries a secret header or credential into the result", () => {
          const text = JSON.stringify(run(delivery));
          for (const secret of adapter.secrets) expect(text).not.toContain(secret);
          for (const header of [
            "authorization",
            "x-gitlab-token",
            "x-hub-signature-256",
            "x-hub-signature",
          ]) {
            expect(text.toLowerCase()).not.toContain(`"${header}":`);
          }
        });
      },
    );
  });
}

describe("ReleaseWrite", () => {
  it("is, by type, a body core's releaseInput accepts", () => {
    // Compiles only while every ReleaseWrite is assignable to the schema's input type.
    const asBody = (write: ReleaseWrite): z.input<typeof releaseInput> => write;
    const write: ReleaseWrite = {
      key: "github:1:deployment:2",
      source: "github",
      ci: { provider: "github" },
    };
    expect(releaseInput.safeParse(asBody(write)).success).toBe(true);
  });
});

for (const adapter of adapterCases()) runAdapterContract(adapter);
