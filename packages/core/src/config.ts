import { z } from "zod";

const TIERS = ["production", "staging", "testing", "development"] as const;
export type Tier = (typeof TIERS)[number];

const globList = z.array(z.string().min(1)).default(() => []);

const JENKINS_PARAMETERS = {
  environment: ["ENVIRONMENT", "DEPLOY_ENV", "ENV"],
  version: ["VERSION", "RELEASE_VERSION", "TAG"],
  package: ["PACKAGE", "SERVICE", "APP"],
};

const parameterNames = (defaults: string[], what: string) =>
  z
    .array(z.string().min(1))
    .default(() => [...defaults])
    .describe(`Jenkins build parameters read, in order, for the ${what}.`);

/** The schema of `sponge.config.json`. Every key is optional; unknown keys are refused (they are typos). */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON schema, for editors."),
    defaultEnvironment: z
      .string()
      .min(1)
      .default("production")
      .describe("Environment of a release that names none and whose CI names none."),
    environments: z
      .record(
        z.string().min(1),
        z.strictObject({
          tier: z.enum(TIERS).describe("Tier used by `GET /api/metrics/dora?tier=`."),
        }),
      )
      .default(() => ({ production: { tier: "production" as const }, staging: { tier: "staging" as const } }))
      .describe(
        "Known environments and their tier. Unlisted environments get a tier guessed from their name.",
      ),
    teams: z
      .array(
        z.strictObject({
          team: z.string().min(1).describe("The team name recorded on releases."),
          packages: globList.describe("Package name globs owned by the team (`payments-*`)."),
          repositories: globList.describe("Repository globs owned by the team (`acme/payments-*`)."),
          codeowners: globList.describe("CODEOWNERS owners that mean this team (`@acme/web-team`)."),
        }),
      )
      .default(() => [])
      .describe("Team rules, tried in order: package globs first, then repository globs, then CODEOWNERS."),
    people: z
      .array(
        z.strictObject({
          name: z.string().min(1).describe("The name recorded on releases."),
          aliases: z
            .array(z.string().min(1))
            .default(() => [])
            .describe("Logins, e-mail addresses and names that mean this person (case-insensitive)."),
        }),
      )
      .superRefine(refuseSharedAliases)
      .default(() => [])
      .describe("People and their aliases."),
    bots: z
      .array(z.string().min(1))
      .default(() => ["*[bot]"])
      .describe("Globs (`*` and `?` only, case-insensitive) of accounts that are not people."),
    references: z
      .strictObject({
        jiraProjects: z
          .array(z.string().regex(/^[A-Z][A-Z0-9_]+$/, "expected an upper-case project key such as PAY"))
          .default(() => [])
          .describe("When not empty, only keys of these projects are taken from text."),
        ignore: z
          .array(z.string().min(1))
          .default(() => [])
          .describe("Keys (`UTF-8`) or project prefixes (`SHA`) that are never tickets."),
      })
      .default(() => ({ jiraProjects: [], ignore: [] }))
      .describe("How ticket references are found in branches, PR titles and commit messages."),
    github: z
      .strictObject({
        deployWorkflows: globList.describe("Names of workflows whose runs are deployments (`deploy*`)."),
      })
      .default(() => ({ deployWorkflows: [] }))
      .describe("GitHub webhook settings."),
    jenkins: z
      .strictObject({
        parameters: z
          .strictObject({
            environment: parameterNames(JENKINS_PARAMETERS.environment, "environment"),
            version: parameterNames(JENKINS_PARAMETERS.version, "version"),
            package: parameterNames(JENKINS_PARAMETERS.package, "package name"),
          })
          .default(() => structuredClone(JENKINS_PARAMETERS))
          .describe("Build parameters that carry the environment, version and package."),
      })
      .default(() => ({ parameters: structuredClone(JENKINS_PARAMETERS) }))
      .describe("Jenkins settings."),
  })
  .describe("Sponge receiver configuration (sponge.config.json).");

export type SpongeConfig = z.output<typeof configSchema>;

/** One alias naming two people would make inference depend on the order of the file. */
function refuseSharedAliases(
  people: readonly { name: string; aliases: readonly string[] }[],
  ctx: z.RefinementCtx,
): void {
  const owners = new Map<string, string>();
  for (const [index, person] of people.entries()) {
    for (const [position, alias] of [person.name, ...person.aliases].entries()) {
      const key = alias.toLowerCase();
      const owner = owners.get(key);
      if (owner !== undefined && owner !== person.name) {
        ctx.addIssue({
          code: "custom",
          path: position === 0 ? [index, "name"] : [index, "aliases", position - 1],
          message: `expected an alias of one person only, but ${JSON.stringify(alias)} also means ${JSON.stringify(owner)}`,
        });
      }
      owners.set(key, owner ?? person.name);
    }
  }
}

/** Thrown when a configuration file does not match the schema; the message names each key. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Validates a parsed `sponge.config.json`. Pure: the caller reads the file. The error names
 * the origin, then one line per problem: the dotted key and what was expected.
 *
 * @example parseConfig({ defaultEnvironment: "prod" }).defaultEnvironment // "prod"
 * @example parseConfig({ teams: [{ team: "web", packages: "web-*" }] })
 * // throws ConfigError: "sponge.config.json is not valid:\n  teams.0.packages: expected array, received string"
 */
export function parseConfig(json: unknown, origin = "sponge.config.json"): SpongeConfig {
  const result = configSchema.safeParse(json ?? {}, { reportInput: true, error: describeConfigIssue });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    const key = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((unknown) => `  ${key ? `${key}.` : ""}${unknown}: unknown key`);
    }
    return [`  ${key || "(root)"}: ${issue.message}`];
  });
  throw new ConfigError(`${origin} is not valid:\n${problems.join("\n")}`);
}

/**
 * The JSON schema of `sponge.config.json` (the input shape, with defaults), for editors.
 * `docs/sponge.config.schema.json` is this, formatted.
 *
 * @example JSON.stringify(configJsonSchema(), null, 2)
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: "input" });
}

function describeConfigIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type") return `expected ${issue.expected}, received ${kindOf(issue.input)}`;
  if (issue.code === "invalid_value") {
    const options = issue.values.map((value) => JSON.stringify(value)).join(", ");
    return `expected one of ${options}, received ${JSON.stringify(issue.input)}`;
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The configuration used when no file is given. */
export const defaultConfig: SpongeConfig = parseConfig({});

/**
 * The tier of an environment: configured, else guessed from the words of its name (`prod-eu`, `live`:
 * production; `staging`, `pre-prod`, `uat`: staging; `qa`, `test-2`, `ci`: testing), else `development`.
 * Words, not substrings: `preprod` and `nonprod` are not production, `special` is not `ci`. The narrower
 * tiers are tried first, so `qa-live` is testing.
 *
 * @example tierOf(defaultConfig, "prod-eu") // "production"
 */
export function tierOf(config: SpongeConfig, environment: string): Tier {
  const configured = config.environments[environment]?.tier;
  if (configured) return configured;
  const name = environment.toLowerCase();
  const words = name.split(/[^a-z0-9]+/).filter(Boolean);
  const word = (pattern: RegExp) => words.some((w) => pattern.test(w));
  if (/non[-_ ]?prod/.test(name)) return "development";
  if (/pre[-_ ]?prod/.test(name) || word(/^(stag|uat)/)) return "staging";
  if (word(/^(test|qa|ci$)/)) return "testing";
  if (word(/^(prod|prd$|live$)/)) return "production";
  return "development";
}
