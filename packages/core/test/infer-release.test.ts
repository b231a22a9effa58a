import {
  type CiInput,
  ciContext,
  defaultConfig,
  type InferenceSubject,
  inferPackageName,
  inferRelease,
  inferVersion,
  parseConfig,
  resolvePerson,
  shortSha,
  tagFromRef,
} from "@sponge/core";
import { describe, expect, it } from "vitest";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

const ci = (value: Record<string, unknown>): CiInput => ciContext.parse(value);
const subject = (fields: Partial<InferenceSubject>): InferenceSubject => ({
  references: [],
  packages: [],
  commits: [],
  ...fields,
});

const config = parseConfig({
  teams: [
    { team: "payments", packages: ["payments-*"], repositories: ["acme/payments-*"] },
    { team: "platform", repositories: ["acme/*"] },
    { team: "web", codeowners: ["@acme/web-team"] },
  ],
  people: [{ name: "Jane Doe", aliases: ["jane@acme.io", "jdoe"] }],
  bots: ["*[bot]", "jenkins"],
  references: { jiraProjects: ["PAY", "WEB"], ignore: ["UTF-8", "SHA-256"] },
});

describe("person", () => {
  it("prefers the explicit person over everything the CI saw", () => {
    const result = inferRelease(
      subject({ person: "Alice", ci: ci({ triggering_actor: "bob", actor: "carol" }) }),
      config,
    );
    expect(result.person).toBe("Alice");
    expect(result.inferred.person).toBeUndefined();
  });

  it("maps an explicit alias to the configured name, and flags an explicit bot without replacing it", () => {
    expect(inferRelease(subject({ person: "JDOE" }), config).person).toBe("Jane Doe");
    const bot = inferRelease(subject({ person: "renovate[bot]", ci: ci({ actor: "carol" }) }), config);
    expect(bot).toMatchObject({ person: "renovate[bot]", personIsBot: true });
  });

  it("then takes ci.triggering_actor, then ci.actor, then the head commit's author", () => {
    const commits = [
      { sha: "a".repeat(40), author: "First Author <first@acme.io>" },
      { sha: "b".repeat(40), author: "Head Author <head@acme.io>" },
    ];
    const all = subject({ commits, ci: ci({ triggering_actor: "trig", actor: "act" }) });
    expect(inferRelease(all, config)).toMatchObject({
      person: "trig",
      inferred: { person: "ci.triggering_actor" },
    });
    const noTrigger = subject({ commits, ci: ci({ actor: "act" }) });
    expect(inferRelease(noTrigger, config)).toMatchObject({
      person: "act",
      inferred: { person: "ci.actor" },
    });
    const commitsOnly = subject({ commits });
    expect(inferRelease(commitsOnly, config)).toMatchObject({
      person: "Head Author",
      inferred: { person: "commits.author" },
    });
  });

  it("never picks a bot when a human candidate exists", () => {
    const result = inferRelease(
      subject({
        ci: ci({ triggering_actor: "dependabot[bot]", actor: "Jenkins" }),
        commits: [{ sha: SHA, author: "Jane <jane@acme.io>" }],
      }),
      config,
    );
    expect(result).toMatchObject({
      person: "Jane Doe",
      personIsBot: false,
      inferred: { person: "commits.author" },
    });
  });

  it("keeps and flags a bot when every candidate is a bot", () => {
    const result = inferRelease(
      subject({ ci: ci({ triggering_actor: "dependabot[bot]", actor: "jenkins" }) }),
      config,
    );
    expect(result).toMatchObject({
      person: "dependabot[bot]",
      personIsBot: true,
      inferred: { person: "ci.triggering_actor" },
    });
  });

  it("is null when nobody is known, and skips blank values", () => {
    const result = inferRelease(subject({ person: "  ", ci: ci({ actor: "" }) }), config);
    expect(result).toMatchObject({ person: null, personIsBot: false });
    expect(result.inferred.person).toBeUndefined();
  });

  it("resolves e-mails, 'Name <email>' and GitHub no-reply addresses through aliases", () => {
    expect(resolvePerson("jane@ACME.io", config)).toEqual({ name: "Jane Doe", isBot: false });
    expect(resolvePerson("J. Doe <jane@acme.io>", config)).toEqual({ name: "Jane Doe", isBot: false });
    expect(resolvePerson("12345+jdoe@users.noreply.github.com", config)).toEqual({
      name: "Jane Doe",
      isBot: false,
    });
    expect(resolvePerson("Bob Smith <bob@acme.io>", config)).toEqual({ name: "Bob Smith", isBot: false });
    expect(resolvePerson("41898282+github-actions[bot]@users.noreply.github.com", config).isBot).toBe(true);
    expect(resolvePerson("bot-ish human", config).isBot).toBe(false);
  });
});

describe("team", () => {
  it("keeps an explicit team", () => {
    const result = inferRelease(subject({ team: "sre", repository: "acme/payments-api" }), config);
    expect(result.team).toBe("sre");
    expect(result.inferred.team).toBeUndefined();
  });

  it("matches package globs of any team before repository globs", () => {
    const result = inferRelease(
      subject({ repository: "acme/monorepo", packages: [{ name: "payments-worker", version: "1" }] }),
      config,
    );
    expect(result).toMatchObject({ team: "payments", inferred: { team: "config:teams[0].packages" } });
  });

  it("matches repository globs in order, ignoring case", () => {
    expect(inferRelease(subject({ repository: "ACME/Payments-API" }), config)).toMatchObject({
      team: "payments",
      inferred: { team: "config:teams[0].repositories" },
    });
    expect(inferRelease(subject({ repository: "acme/site" }), config)).toMatchObject({
      team: "platform",
      inferred: { team: "config:teams[1].repositories" },
    });
  });

  it("maps CODEOWNERS owners through config, else strips the organisation, skipping users", () => {
    const owners = (codeowners_teams: string[]) =>
      subject({ repository: "other/repo", ci: ci({ codeowners_teams }) });
    expect(inferRelease(owners(["@jdoe", "@ACME/web-team"]), config)).toMatchObject({
      team: "web",
      inferred: { team: "config:teams[2].codeowners" },
    });
    expect(inferRelease(owners(["docs@acme.io", "@acme/data-team", "@acme/web-team"]), config)).toMatchObject(
      {
        team: "data-team",
        inferred: { team: "ci.codeowners_teams" },
      },
    );
    const none = inferRelease(owners(["@jdoe", "jane@acme.io"]), config);
    expect(none.team).toBeNull();
    expect(none.inferred.team).toBeUndefined();
  });
});

describe("environment", () => {
  it("explicit > ci.environment > Jenkins parameter > configured default", () => {
    const jenkins = { provider: "jenkins", parameters: { DEPLOY_ENV: "qa" } };
    expect(
      inferRelease(subject({ environment: "prod-eu", ci: ci({ environment: "x" }) }), config),
    ).toMatchObject({
      environment: "prod-eu",
    });
    expect(inferRelease(subject({ ci: ci({ ...jenkins, environment: "staging" }) }), config)).toMatchObject({
      environment: "staging",
      inferred: { environment: "ci.environment" },
    });
    expect(inferRelease(subject({ ci: ci(jenkins) }), config)).toMatchObject({
      environment: "qa",
      inferred: { environment: "ci.parameters.DEPLOY_ENV" },
    });
    expect(inferRelease(subject({}), parseConfig({ defaultEnvironment: "live" }))).toMatchObject({
      environment: "live",
      inferred: { environment: "config.defaultEnvironment" },
    });
  });

  it("reads Jenkins parameters only from Jenkins, in the configured order", () => {
    const params = { ENVIRONMENT: "first", DEPLOY_ENV: "second" };
    expect(
      inferRelease(subject({ ci: ci({ provider: "gitlab", parameters: params }) }), config).environment,
    ).toBe("production");
    const reordered = parseConfig({
      jenkins: { parameters: { environment: ["DEPLOY_ENV", "ENVIRONMENT"] } },
    });
    expect(
      inferRelease(subject({ ci: ci({ provider: "jenkins", parameters: params }) }), reordered).environment,
    ).toBe("second");
  });
});

describe("references", () => {
  it("unions explicit references (first) with branch, PR title, PR number and commit messages", () => {
    const result = inferRelease(
      subject({
        repository: "acme/payments-api",
        references: ["https://tracker/1", "PAY-1"],
        ci: ci({
          provider: "github",
          branch: "pay-7-rounding",
          pr_title: "WEB-3: rounding (UTF-8 safe)",
          pr_number: 41,
        }),
        commits: [
          { sha: "a".repeat(40), message: "PAY-1 again, SHA-256 sums, closes #40" },
          { sha: "b".repeat(40), message: "OPS-9 is not configured; !12 is not a GitHub thing" },
        ],
      }),
      config,
    );
    expect(result.references).toEqual([
      "https://tracker/1",
      "PAY-1",
      "PAY-7",
      "WEB-3",
      "acme/payments-api#41",
      "acme/payments-api#40",
    ]);
    expect(result.inferred.references).toBe("ci.branch,ci.pr_title,ci.pr_number,commits");
  });

  it("reads the branch from a refs/heads ref when the CI names no branch", () => {
    expect(inferRelease(subject({ ref: "refs/heads/feature/PAY-5" }), config)).toMatchObject({
      references: ["PAY-5"],
      inferred: { references: "ref" },
    });
    expect(inferRelease(subject({ ci: ci({ ref: "refs/heads/WEB-6" }) }), config)).toMatchObject({
      references: ["WEB-6"],
      inferred: { references: "ci.ref" },
    });
  });

  it("writes a GitLab merge request as project!iid and reads !iid in messages", () => {
    const result = inferRelease(
      subject({
        repository: "group/proj",
        ci: ci({ provider: "gitlab", pr_number: 3 }),
        commits: [{ sha: SHA, message: "See merge request group/proj!2" }],
      }),
      defaultConfig,
    );
    expect(result.references).toEqual(["group/proj!3", "group/proj!2"]);
  });

  it("records no source when nothing new was found", () => {
    const result = inferRelease(
      subject({ references: ["PAY-1"], commits: [{ sha: SHA, message: "PAY-1" }] }),
      config,
    );
    expect(result.references).toEqual(["PAY-1"]);
    expect(result.inferred.references).toBeUndefined();
  });
});

describe("packages and version", () => {
  it("keeps explicit packages and versions", () => {
    const result = inferRelease(
      subject({
        repository: "acme/api",
        ref: "refs/tags/v9",
        packages: [
          { name: "api", version: "1.0.0" },
          { name: "worker", version: "2.0.0" },
        ],
      }),
      config,
    );
    expect(result.packages).toEqual([
      { name: "api", version: "1.0.0" },
      { name: "worker", version: "2.0.0" },
    ]);
    expect(Object.keys(result.inferred).filter((key) => key.startsWith("packages"))).toEqual([]);
  });

  it("fills a missing version of an explicit package from the tag, else the short sha", () => {
    expect(
      inferRelease(subject({ packages: [{ name: "api" }], ref: "refs/tags/v1.2.3", commit: SHA }), config),
    ).toMatchObject({
      packages: [{ name: "api", version: "v1.2.3" }],
      inferred: { "packages[0].version": "ref" },
    });
    expect(inferRelease(subject({ packages: [{ name: "api" }], commit: SHA }), config)).toMatchObject({
      packages: [{ name: "api", version: "6113728" }],
      inferred: { "packages[0].version": "commit" },
    });
    expect(inferRelease(subject({ packages: [{ name: "api" }] }), config).packages).toEqual([
      { name: "api", version: null },
    ]);
  });

  it("turns the package/version shorthand into a package", () => {
    expect(inferRelease(subject({ package: "api", version: "3.1.0", commit: SHA }), config).packages).toEqual(
      [{ name: "api", version: "3.1.0" }],
    );
    expect(
      inferRelease(
        subject({ packages: [{ name: "api" }, { name: "web", version: "2" }], package: "api", version: "3" }),
        config,
      ).packages,
    ).toEqual([
      { name: "api", version: "3" },
      { name: "web", version: "2" },
    ]);
    expect(inferRelease(subject({ packages: [{ name: "api" }], version: "4" }), config).packages).toEqual([
      { name: "api", version: "4" },
    ]);
  });

  it("infers one package from the repository when a version is known", () => {
    expect(
      inferRelease(subject({ repository: "acme/payments-api", ci: ci({ ref: "refs/tags/v2" }) }), config),
    ).toMatchObject({
      packages: [{ name: "payments-api", version: "v2" }],
      inferred: { "packages[0].name": "repository", "packages[0].version": "ci.ref" },
    });
    expect(
      inferRelease(subject({ repository: "acme/api", commits: [{ sha: "0123456789abcdef" }] }), config),
    ).toMatchObject({
      packages: [{ name: "api", version: "0123456" }],
      inferred: { "packages[0].version": "commits.sha" },
    });
    expect(inferRelease(subject({ repository: "acme/api", version: "7" }), config)).toMatchObject({
      packages: [{ name: "api", version: "7" }],
      inferred: { "packages[0].name": "repository" },
    });
  });

  it("infers no package without a version or without a name", () => {
    const noVersion = inferRelease(subject({ repository: "acme/api", commit: "not-a-sha" }), config);
    expect(noVersion.packages).toEqual([]);
    expect(noVersion.inferred["packages[0].name"]).toBeUndefined();
    expect(inferRelease(subject({ commit: SHA }), config).packages).toEqual([]);
  });

  it("uses Jenkins parameters, then the repository, the Jenkins job, the GitLab project path", () => {
    const jenkins = ci({
      provider: "jenkins",
      job: "deploy-billing",
      parameters: { SERVICE: "billing", VERSION: "5.0" },
    });
    expect(
      inferRelease(subject({ repository: "acme/monorepo", ci: jenkins, commit: SHA }), config),
    ).toMatchObject({
      packages: [{ name: "billing", version: "5.0" }],
      inferred: {
        "packages[0].name": "ci.parameters.SERVICE",
        "packages[0].version": "ci.parameters.VERSION",
      },
    });
    expect(inferPackageName({ ci: ci({ provider: "jenkins", job: "deploy-billing" }) }, config)).toEqual({
      name: "deploy-billing",
      source: "ci.job",
    });
    expect(inferPackageName({ ci: ci({ provider: "github", job: "deploy" }) }, config)).toEqual({
      name: null,
      source: null,
    });
    expect(
      inferPackageName(
        { ci: ci({ provider: "gitlab", project_path: "gitlab-org/sub/gitlab-test" }) },
        config,
      ),
    ).toEqual({ name: "gitlab-test", source: "ci.project_path" });
    expect(
      inferPackageName({ ci: ci({ provider: "gitlab", parameters: { CI_PROJECT_PATH: "g/proj" } }) }, config),
    ).toEqual({ name: "proj", source: "ci.parameters.CI_PROJECT_PATH" });
  });
});

describe("version helpers", () => {
  it("reads tags from refs only", () => {
    expect(tagFromRef("refs/tags/v1.2.3")).toBe("v1.2.3");
    expect(tagFromRef("refs/tags/release/2024-01")).toBe("release/2024-01");
    expect(tagFromRef("refs/heads/v1.2.3")).toBeUndefined();
    expect(tagFromRef("v1.2.3")).toBeUndefined();
    expect(tagFromRef("refs/tags/")).toBeUndefined();
    expect(tagFromRef(undefined)).toBeUndefined();
  });

  it("shortens hexadecimal commit ids only", () => {
    expect(shortSha(SHA)).toBe("6113728");
    expect(shortSha("ABCDEF0123")).toBe("abcdef0");
    expect(shortSha("abc12")).toBeUndefined();
    expect(shortSha("not-a-sha")).toBeUndefined();
  });

  it("prefers ref's tag over ci.ref's tag over the commit", () => {
    expect(inferVersion({ ref: "refs/tags/a", ci: ci({ ref: "refs/tags/b" }), commit: SHA }, config)).toEqual(
      {
        version: "a",
        source: "ref",
      },
    );
    expect(
      inferVersion({ ref: "refs/heads/main", ci: ci({ ref: "refs/tags/b" }), commit: SHA }, config),
    ).toEqual({
      version: "b",
      source: "ci.ref",
    });
    expect(inferVersion({}, config)).toEqual({ version: null, source: null });
  });
});
