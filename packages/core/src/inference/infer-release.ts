import type { SpongeConfig } from "../config.js";
import type { CiInput } from "../schemas.js";
import type { Commit } from "../types.js";
import { ciParameter } from "./ci-parameter.js";
import { inferPackageName } from "./package-name.js";
import { choosePerson, resolveExplicitPerson } from "./person.js";
import { extractReferences, type ReferenceOptions } from "./references.js";
import { inferTeam } from "./team.js";
import { inferVersion } from "./version.js";

/** What the receiver knows about a release: explicit fields, the CI context and commits. */
export interface InferenceSubject {
  person?: string | undefined;
  team?: string | undefined;
  environment?: string | undefined;
  repository?: string | undefined;
  ref?: string | undefined;
  commit?: string | undefined;
  /** Explicit references. */
  references: string[];
  /** Explicit packages. */
  packages: { name: string; version?: string | undefined }[];
  /** Top-level shorthand for one package (`package` + `version`). */
  package?: string | undefined;
  version?: string | undefined;
  ci?: CiInput | undefined;
  commits: Commit[];
}

/** The decided values, and for each inferred one where it came from. */
export interface Inference {
  person: string | null;
  personIsBot: boolean;
  team: string | null;
  environment: string;
  /** Explicit ∪ inferred, de-duplicated, explicit first. */
  references: string[];
  /** The explicit packages (versions filled in when missing), or one inferred package, or none. */
  packages: { name: string; version: string | null }[];
  /** Field -> source, e.g. `{"person": "ci.triggering_actor", "packages[0].version": "ref"}`. */
  inferred: Record<string, string>;
}

/**
 * Decides person, team, environment, references and packages of a release. Pure and
 * deterministic; explicit values always win, and every inferred value records its source in
 * `inferred`. See docs/config.md ("How inferred fields are chosen") for the full rules.
 *
 * @example
 * inferRelease(
 *   { repository: "acme/api", ref: "refs/tags/v1.4.0", references: [], packages: [], commits: [], ci: { actor: "jdoe" } },
 *   defaultConfig,
 * )
 * // { person: "jdoe", personIsBot: false, team: null, environment: "production", references: [],
 * //   packages: [{ name: "api", version: "v1.4.0" }],
 * //   inferred: { person: "ci.actor", environment: "config.defaultEnvironment", "packages[0].name": "repository", "packages[0].version": "ref" } }
 */
export function inferRelease(subject: InferenceSubject, config: SpongeConfig): Inference {
  const inferred: Record<string, string> = {};

  // Package sources go last in `inferred`, though packages are decided first (teams need them).
  const packageSources: Record<string, string> = {};
  const packages = decidePackages(subject, config, packageSources);
  const person = decidePerson(subject, config, inferred);
  const team = decideTeam(subject, packages, config, inferred);
  const environment = decideEnvironment(subject, config, inferred);
  const references = decideReferences(subject, config, inferred);

  return {
    person: person.person,
    personIsBot: person.isBot,
    team,
    environment,
    references,
    packages,
    inferred: { ...inferred, ...packageSources },
  };
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function decidePerson(
  subject: InferenceSubject,
  config: SpongeConfig,
  inferred: Record<string, string>,
): { person: string | null; isBot: boolean } {
  const explicit = present(subject.person);
  if (explicit) {
    const resolved = resolveExplicitPerson(explicit, config);
    return { person: resolved.name, isBot: resolved.isBot };
  }
  const head = subject.commits.at(-1);
  const choice = choosePerson(
    [
      { value: subject.ci?.triggering_actor, source: "ci.triggering_actor" },
      { value: subject.ci?.actor, source: "ci.actor" },
      { value: head?.author, source: "commits.author" },
    ],
    config,
  );
  if (choice.source) inferred.person = choice.source;
  return { person: choice.person, isBot: choice.isBot };
}

function decideTeam(
  subject: InferenceSubject,
  packages: readonly { name: string }[],
  config: SpongeConfig,
  inferred: Record<string, string>,
): string | null {
  const explicit = present(subject.team);
  if (explicit) return explicit;
  const choice = inferTeam(
    {
      packages: packages.map((pkg) => pkg.name),
      repository: present(subject.repository),
      codeowners: subject.ci?.codeowners_teams,
    },
    config,
  );
  if (choice.source) inferred.team = choice.source;
  return choice.team;
}

function decideEnvironment(
  subject: InferenceSubject,
  config: SpongeConfig,
  inferred: Record<string, string>,
): string {
  const explicit = present(subject.environment);
  if (explicit) return explicit;
  const fromCi = present(subject.ci?.environment);
  if (fromCi) {
    inferred.environment = "ci.environment";
    return fromCi;
  }
  const parameter = ciParameter(subject.ci, config.jenkins.parameters.environment);
  if (parameter) {
    inferred.environment = parameter.source;
    return parameter.value;
  }
  inferred.environment = "config.defaultEnvironment";
  return config.defaultEnvironment;
}

function decideReferences(
  subject: InferenceSubject,
  config: SpongeConfig,
  inferred: Record<string, string>,
): string[] {
  const { ci } = subject;
  const repository = present(subject.repository);
  const provider = ci?.provider?.toLowerCase() ?? "";
  const options: ReferenceOptions = {
    repository,
    jiraProjects: config.references.jiraProjects,
    ignore: config.references.ignore,
    mergeRequests: !provider.startsWith("github"),
  };
  const references = new Set(subject.references.map((reference) => reference.trim()).filter((r) => r !== ""));
  const sources: string[] = [];
  const add = (source: string, found: readonly string[]) => {
    const before = references.size;
    for (const reference of found) references.add(reference);
    if (references.size > before) sources.push(source);
  };

  const branch = branchOf(subject);
  if (branch) add(branch.source, extractReferences(branch.name, { ...options, anyCase: true }));
  if (ci?.pr_title) add("ci.pr_title", extractReferences(ci.pr_title, options));
  if (ci?.pr_number !== undefined && repository) {
    add("ci.pr_number", [`${repository}${provider === "gitlab" ? "!" : "#"}${ci.pr_number}`]);
  }
  add(
    "commits",
    subject.commits.flatMap((commit) => (commit.message ? extractReferences(commit.message, options) : [])),
  );
  if (sources.length > 0) inferred.references = sources.join(",");
  return [...references];
}

function branchOf(subject: InferenceSubject): { name: string; source: string } | undefined {
  const branch = present(subject.ci?.branch);
  if (branch) return { name: branch, source: "ci.branch" };
  for (const [ref, source] of [
    [subject.ref, "ref"],
    [subject.ci?.ref, "ci.ref"],
  ] as const) {
    const name = /^refs\/heads\/(.+)$/.exec(ref?.trim() ?? "")?.[1];
    if (name) return { name, source };
  }
  return undefined;
}

function decidePackages(
  subject: InferenceSubject,
  config: SpongeConfig,
  inferred: Record<string, string>,
): { name: string; version: string | null }[] {
  const explicit: { name: string; version: string | undefined }[] = [];
  for (const pkg of subject.packages) {
    const name = present(pkg.name);
    if (name && !explicit.some((other) => other.name === name)) {
      explicit.push({ name, version: present(pkg.version) });
    }
  }
  const shorthand = present(subject.package);
  const shorthandVersion = present(subject.version);
  const listed = explicit.find((pkg) => pkg.name === shorthand);
  if (shorthand && !listed) explicit.push({ name: shorthand, version: shorthandVersion });
  else if (listed && listed.version === undefined) listed.version = shorthandVersion;
  // A lone package without a version takes the top-level version.
  const lone = explicit.length === 1 ? explicit[0] : undefined;
  if (lone && lone.version === undefined) lone.version = shorthandVersion;

  const version = inferVersion(
    { ref: subject.ref, commit: subject.commit ?? subject.commits.at(-1)?.sha, ci: subject.ci },
    config,
  );
  const versionSource =
    version.source === "commit" && !present(subject.commit) ? "commits.sha" : version.source;

  if (explicit.length > 0) {
    return explicit.map((pkg, index) => {
      if (pkg.version !== undefined) return { name: pkg.name, version: pkg.version };
      if (versionSource) inferred[`packages[${index}].version`] = versionSource;
      return { name: pkg.name, version: version.version };
    });
  }

  const name = inferPackageName({ repository: subject.repository, ci: subject.ci }, config);
  const chosenVersion = shorthandVersion ?? version.version;
  if (!name.name || !name.source || chosenVersion === null) return [];
  inferred["packages[0].name"] = name.source;
  if (!shorthandVersion && versionSource) inferred["packages[0].version"] = versionSource;
  return [{ name: name.name, version: chosenVersion }];
}
