import { ciContext, type InferenceSubject, inferRelease, parseConfig, type SpongeConfig } from "@sponge/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/*
 * Whatever the CI saw and however the configuration reads, an explicit value is never
 * replaced by an inferred one (an explicit person only ever becomes the configured name of
 * an alias it matches).
 */

const word = fc
  .string({ minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s !== "");
const name = fc.oneof(
  word,
  fc.constantFrom("jdoe", "jane@acme.io", "renovate[bot]", "jenkins", "payments-api"),
);
const glob = fc.oneof(word, fc.constantFrom("*", "**", "*[bot]", "acme/*", "payments-*", "*-api"));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const configArb: fc.Arbitrary<SpongeConfig> = fc
  .record({
    defaultEnvironment: word,
    teams: fc.array(
      fc.record({
        team: word,
        packages: fc.array(glob, { maxLength: 3 }),
        repositories: fc.array(glob, { maxLength: 3 }),
        codeowners: fc.array(glob, { maxLength: 3 }),
      }),
      { maxLength: 4 },
    ),
    people: fc.array(fc.record({ name: word, aliases: fc.array(name, { maxLength: 3 }) }), { maxLength: 3 }),
    bots: fc.array(glob, { maxLength: 3 }),
  })
  .map((raw) => parseConfig({ ...raw, people: withoutSharedAliases(raw.people) }));

/** The configuration refuses an alias of two people; keep each spelling with its first owner. */
function withoutSharedAliases(people: { name: string; aliases: string[] }[]) {
  const seen = new Map<string, string>();
  const claim = (spelling: string, owner: string) => {
    const previous = seen.get(spelling.toLowerCase());
    if (previous !== undefined && previous !== owner) return false;
    seen.set(spelling.toLowerCase(), owner);
    return true;
  };
  return people
    .filter((person) => claim(person.name, person.name))
    .map((person) => ({
      name: person.name,
      aliases: person.aliases.filter((alias) => claim(alias, person.name)),
    }));
}

const ciArb = fc
  .record({
    provider: maybe(fc.constantFrom("github", "gitlab", "jenkins", "cdevents")),
    actor: maybe(name),
    triggering_actor: maybe(name),
    ref: maybe(fc.constantFrom("refs/tags/v1.0.0", "refs/heads/PAY-1", "main")),
    branch: maybe(word),
    pr_title: maybe(fc.string()),
    pr_number: maybe(fc.integer({ min: 1, max: 1000 })),
    job: maybe(word),
    environment: maybe(word),
    codeowners_teams: maybe(fc.array(fc.constantFrom("@acme/web-team", "@jdoe", "@org/x"), { maxLength: 3 })),
    parameters: maybe(
      fc.dictionary(fc.constantFrom("ENVIRONMENT", "VERSION", "PACKAGE", "DEPLOY_ENV"), word),
    ),
    project_path: maybe(word),
  })
  .map((raw) => ciContext.parse(raw));

const commitArb = fc.record({
  sha: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), word),
  message: maybe(fc.string()),
  author: maybe(name),
});

const explicitArb = fc.record({
  person: maybe(name),
  team: maybe(word),
  environment: maybe(word),
  package: maybe(word),
  version: maybe(word),
});

const subjectArb = fc
  .record({
    explicit: explicitArb,
    repository: maybe(fc.constantFrom("acme/payments-api", "acme/web", "other/repo")),
    ref: maybe(fc.constantFrom("refs/tags/v2.0.0", "refs/heads/main")),
    commit: maybe(fc.stringMatching(/^[0-9a-f]{40}$/)),
    references: fc.array(word, { maxLength: 3 }),
    ci: maybe(ciArb),
    commits: fc.array(commitArb, { maxLength: 4 }),
  })
  .map(({ explicit, ...rest }): InferenceSubject => ({ ...rest, ...explicit, packages: [] }));

function configuredName(config: SpongeConfig, person: string): string | undefined {
  const wanted = person.toLowerCase();
  return config.people.find((p) => [p.name, ...p.aliases].some((alias) => alias.toLowerCase() === wanted))
    ?.name;
}

describe("inferRelease never overrides an explicit value", () => {
  it("person, team, environment, package and version", () => {
    fc.assert(
      fc.property(subjectArb, configArb, (subject, config) => {
        const result = inferRelease(subject, config);
        if (subject.person !== undefined) {
          expect(result.person).toBe(configuredName(config, subject.person) ?? subject.person);
          expect(result.inferred.person).toBeUndefined();
        }
        if (subject.team !== undefined) {
          expect(result.team).toBe(subject.team);
          expect(result.inferred.team).toBeUndefined();
        }
        if (subject.environment !== undefined) {
          expect(result.environment).toBe(subject.environment);
          expect(result.inferred.environment).toBeUndefined();
        }
        if (subject.package !== undefined) {
          expect(result.packages.map((pkg) => pkg.name)).toEqual([subject.package]);
          expect(result.inferred["packages[0].name"]).toBeUndefined();
          if (subject.version !== undefined) {
            expect(result.packages[0]?.version).toBe(subject.version);
            expect(result.inferred["packages[0].version"]).toBeUndefined();
          }
        } else if (subject.version !== undefined && result.packages.length > 0) {
          expect(result.packages[0]?.version).toBe(subject.version);
          expect(result.inferred["packages[0].version"]).toBeUndefined();
        }
        for (const reference of subject.references) expect(result.references).toContain(reference);
        expect(result.references.slice(0, new Set(subject.references).size)).toEqual([
          ...new Set(subject.references),
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it("explicit package versions in a list", () => {
    const pkg = fc.record({ name: word, version: word });
    fc.assert(
      fc.property(
        fc.uniqueArray(pkg, { selector: (p) => p.name, minLength: 1, maxLength: 4 }),
        ciArb,
        configArb,
        (packages, ci, config) => {
          const result = inferRelease(
            { references: [], packages, commits: [], ci, ref: "refs/tags/v9.9.9", commit: "f".repeat(40) },
            config,
          );
          expect(result.packages).toEqual(packages);
        },
      ),
    );
  });
});
