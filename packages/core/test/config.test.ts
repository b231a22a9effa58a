import { readFileSync } from "node:fs";
import { ConfigError, configJsonSchema, defaultConfig, parseConfig, tierOf } from "@sponge/core";
import { describe, expect, it } from "vitest";

/** The example of DESIGN.md's "Configuration" section. */
const DESIGN_EXAMPLE = {
  defaultEnvironment: "production",
  environments: {
    production: { tier: "production" },
    "prod-eu": { tier: "production" },
    staging: { tier: "staging" },
  },
  teams: [
    { team: "payments", packages: ["payments-*"], repositories: ["acme/payments-*"] },
    { team: "web", codeowners: ["@acme/web-team"] },
  ],
  people: [{ name: "Jane Doe", aliases: ["jane@acme.io", "jdoe"] }],
  bots: ["*[bot]", "jenkins"],
  references: { jiraProjects: ["PAY", "WEB"], ignore: ["UTF-8", "SHA-256"] },
  github: { deployWorkflows: ["deploy*"] },
  jenkins: {
    parameters: {
      environment: ["ENVIRONMENT", "DEPLOY_ENV"],
      version: ["VERSION"],
      package: ["PACKAGE", "SERVICE"],
    },
  },
};

function problemsOf(json: unknown): string {
  try {
    parseConfig(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error instanceof Error ? error.message : "";
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("parses every key of the documented example", () => {
    expect(parseConfig(DESIGN_EXAMPLE)).toEqual({
      ...DESIGN_EXAMPLE,
      teams: [
        { team: "payments", packages: ["payments-*"], repositories: ["acme/payments-*"], codeowners: [] },
        { team: "web", packages: [], repositories: [], codeowners: ["@acme/web-team"] },
      ],
    });
  });

  it("parses docs/config.md's complete example", () => {
    const doc = readFileSync(new URL("../../../docs/config.md", import.meta.url), "utf8");
    const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const config = parseConfig(JSON.parse(block ?? ""));
    expect(config.teams.length).toBeGreaterThan(0);
    expect(config.people.length).toBeGreaterThan(0);
  });

  it("fills defaults for an empty, null or missing file", () => {
    for (const json of [{}, null, undefined]) expect(parseConfig(json)).toEqual(defaultConfig);
    expect(defaultConfig).toMatchObject({
      defaultEnvironment: "production",
      bots: ["*[bot]"],
      teams: [],
      people: [],
      references: { jiraProjects: [], ignore: [] },
      jenkins: { parameters: { environment: ["ENVIRONMENT", "DEPLOY_ENV", "ENV"] } },
    });
  });

  it("does not share default values between parses", () => {
    const first = parseConfig({});
    first.bots.push("mutated");
    first.jenkins.parameters.version.push("MUTATED");
    expect(parseConfig({}).bots).toEqual(["*[bot]"]);
    expect(parseConfig({}).jenkins.parameters.version).toEqual(["VERSION", "RELEASE_VERSION", "TAG"]);
  });

  it("names the key and what was expected", () => {
    expect(problemsOf({ teams: [{ team: "web", packages: "web-*" }] })).toBe(
      "sponge.config.json is not valid:\n  teams.0.packages: expected array, received string",
    );
  });

  it("lists every problem: types, unknown keys, enums, project keys, empty names", () => {
    const message = problemsOf({
      defaultEnvironment: 3,
      environments: { eu: { tier: "prod" } },
      people: [{ aliases: ["x"] }],
      references: { jiraProjects: ["pay"], ignores: [] },
      teem: [],
      bots: [""],
    });
    expect(message).toContain("defaultEnvironment: expected string, received number");
    expect(message).toContain(
      'environments.eu.tier: expected one of "production", "staging", "testing", "development", received "prod"',
    );
    expect(message).toContain("people.0.name: expected string, received undefined");
    expect(message).toContain("references.jiraProjects.0: expected an upper-case project key such as PAY");
    expect(message).toContain("references.ignores: unknown key");
    expect(message).toContain("teem: unknown key");
    expect(message).toMatch(/bots\.0: .*1 character/);
  });

  it("refuses an alias that names two people, in any case", () => {
    expect(
      problemsOf({
        people: [
          { name: "Jane Doe", aliases: ["jdoe"] },
          { name: "John Doe", aliases: ["JDOE"] },
        ],
      }),
    ).toBe(
      'sponge.config.json is not valid:\n  people.1.aliases.0: expected an alias of one person only, but "JDOE" also means "Jane Doe"',
    );
    expect(parseConfig({ people: [{ name: "Jane", aliases: ["jane", "JD", "jd"] }] }).people).toHaveLength(1);
  });

  it("refuses a root that is not an object, naming the origin", () => {
    try {
      parseConfig([], "/etc/sponge.config.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error instanceof Error && error.message).toBe(
        "/etc/sponge.config.json is not valid:\n  (root): expected object, received array",
      );
    }
  });
});

describe("tierOf", () => {
  const config = parseConfig(DESIGN_EXAMPLE);
  it("uses the configured tier, else guesses from the name", () => {
    expect(tierOf(config, "prod-eu")).toBe("production");
    expect(tierOf(config, "uat")).toBe("staging");
    expect(tierOf(config, "qa")).toBe("testing");
    expect(tierOf(config, "sandbox")).toBe("development");
  });

  it("guesses from whole words of the name, not from letters inside them", () => {
    const guesses: Record<string, string> = {
      production: "production",
      "prod-eu": "production",
      "eu-prod-2": "production",
      live: "production",
      prd: "production",
      preprod: "staging",
      "pre-prod": "staging",
      pre_prod: "staging",
      stage: "staging",
      "staging-eu": "staging",
      uat: "staging",
      nonprod: "development",
      "non-prod": "development",
      qa: "testing",
      "qa-live": "testing",
      "test-2": "testing",
      ci: "testing",
      special: "development",
      contest: "development",
      dev: "development",
    };
    for (const [name, tier] of Object.entries(guesses)) expect(tierOf(defaultConfig, name), name).toBe(tier);
  });
});

describe("docs/sponge.config.schema.json", () => {
  it("is the schema configJsonSchema() generates (regenerate it as docs/config.md says)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../../docs/sponge.config.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(configJsonSchema());
  });

  it("describes every top-level key and refuses unknown ones", () => {
    const schema = configJsonSchema();
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(Object(schema.properties))).toEqual([
      "$schema",
      "defaultEnvironment",
      "environments",
      "teams",
      "people",
      "bots",
      "references",
      "github",
      "jenkins",
    ]);
  });
});
