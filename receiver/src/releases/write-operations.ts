import {
  type HostInput,
  mergeHosts,
  mergePackage,
  type PackageInput,
  type ReleaseInput,
  type Source,
} from "@sponge/core";
import { notFound, quoted } from "../errors.js";
import type { Sql } from "../store/database.js";
import {
  changeRelease,
  createOrMergeRelease,
  keepSentDiffUrls,
  updateRelease,
  type WriteContext,
  type WriteResult,
} from "./release-writer.js";

/** What a release write answers: the stored document and enough to build the response around it. */
export interface WriteSummary {
  id: string;
  source: Source;
  doc: string;
  created: boolean;
}

const summary = ({ release, doc, created }: WriteResult): WriteSummary => ({
  id: release.id,
  source: release.source,
  doc,
  created,
});

/**
 * The release writes, by name, each taking plain data: so they run the same inside this thread's write queue
 * and on the write thread (write-thread.ts), where a closure could not be sent.
 */
export const writeOperations = {
  /** POST /api/releases: creates a release or merges into the one with the same key. */
  createOrMerge: async (sql: Sql, ctx: WriteContext, args: { input: ReleaseInput; source: Source }) =>
    summary(await createOrMergeRelease(sql, ctx, args.input, args.source)),

  /** PATCH (force) and the partial updates (finish, packages) of an existing release. */
  update: async (sql: Sql, ctx: WriteContext, args: { id: string; input: ReleaseInput; force: boolean }) =>
    summary(await updateRelease(sql, ctx, args.id, args.input, args.force)),

  /** An explicit correction of one package of a release. */
  changePackage: async (
    sql: Sql,
    ctx: WriteContext,
    args: { id: string; name: string; change: PackageInput },
  ) =>
    summary(
      await changeRelease(sql, ctx, args.id, (release) => {
        if (!release.packages.some((p) => p.name === args.name)) {
          throw notFound(`package ${quoted(args.name)} of release ${quoted(args.id)}`);
        }
        keepSentDiffUrls(release, [args.change]);
        mergePackage(release, args.change, true);
      }),
    ),

  /** Host results added to a release. */
  addHosts: async (sql: Sql, ctx: WriteContext, args: { id: string; hosts: HostInput[] }) =>
    summary(
      await changeRelease(sql, ctx, args.id, (release) => {
        mergeHosts(release, args.hosts);
      }),
    ),
};

export type WriteOperations = typeof writeOperations;
export type WriteOperationName = keyof WriteOperations;
/** The arguments of an operation, after the connection and the context. */
export type WriteArgs<N extends WriteOperationName> = Parameters<WriteOperations[N]>[2];
