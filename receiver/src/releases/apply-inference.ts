import { inferRelease, mergePackage, type Release, type SpongeConfig } from "@sponge/core";

/** Fields that inference may fill; a value in `release.inferred` marks it as inferred, not explicit. */
const INFERABLE = ["person", "team", "environment"] as const;

/**
 * Runs core inference over a merged release and applies the result: explicit values stay, inferred ones
 * are recomputed from everything the release now knows (its CI context, commits and packages), and
 * `inferred` says where each inferred value came from.
 */
export function applyInference(
  release: Release,
  shorthand: { package?: string | undefined; version?: string | undefined },
  config: SpongeConfig,
): void {
  const explicit = (field: (typeof INFERABLE)[number]) =>
    release[field] && !(field in release.inferred) ? release[field] : undefined;
  const result = inferRelease(
    {
      person: explicit("person") ?? undefined,
      team: explicit("team") ?? undefined,
      environment: explicit("environment") ?? undefined,
      repository: release.repository ?? undefined,
      ref: release.ref ?? undefined,
      commit: release.commit ?? undefined,
      references: release.references,
      packages: release.packages.map((p) => ({ name: p.name, version: p.version ?? undefined })),
      package: shorthand.package,
      version: shorthand.version,
      ci: release.ci ?? undefined,
      commits: release.commits,
    },
    config,
  );
  release.person = result.person;
  release.team = result.team;
  release.environment = result.environment;
  release.references = result.references;
  for (const pkg of result.packages) {
    const known = release.packages.find((p) => p.name === pkg.name);
    if (!known) mergePackage(release, { name: pkg.name, version: pkg.version ?? undefined });
    else if (known.version === null && pkg.version !== null) known.version = pkg.version;
  }
  // Merging already dropped the sources of fields that are now explicit; keep the others' history.
  release.inferred = { ...release.inferred, ...result.inferred };
  if (result.personIsBot) release.metadata.person_is_bot = true;
  else delete release.metadata.person_is_bot;
}
