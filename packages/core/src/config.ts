import { z } from "zod";

const TIERS = ["production", "staging", "testing", "development"] as const;
export type Tier = (typeof TIERS)[number];

const globList = z.array(z.string().min(1)).default([]);

/** The schema of `sponge.config.json`. Every key is optional; unknown keys are refused (they are typos). */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  defaultEnvironment: z.string().min(1).default("production"),
  environments: z
    .record(z.string().min(1), z.strictObject({ tier: z.enum(TIERS) }))
    .default({ production: { tier: "production" }, staging: { tier: "staging" } }),
  teams: z
    .array(
      z.strictObject({
        team: z.string().min(1),
        packages: globList,
        repositories: globList,
        codeowners: globList,
      }),
    )
    .default([]),
  people: z
    .array(z.strictObject({ name: z.string().min(1), aliases: z.array(z.string().min(1)).default([]) }))
    .default([]),
  bots: z.array(z.string().min(1)).default(["*[bot]"]),
  references: z
    .strictObject({
      jiraProjects: z
        .array(z.string().regex(/^[A-Z][A-Z0-9_]+$/, "expected an upper-case project key"))
        .default([]),
      ignore: z.array(z.string().min(1)).default([]),
    })
    .default({ jiraProjects: [], ignore: [] }),
  github: z.strictObject({ deployWorkflows: globList }).default({ deployWorkflows: [] }),
  jenkins: z
    .strictObject({
      parameters: z
        .strictObject({
          environment: z.array(z.string()).default(["ENVIRONMENT", "DEPLOY_ENV", "ENV"]),
          version: z.array(z.string()).default(["VERSION", "RELEASE_VERSION", "TAG"]),
          package: z.array(z.string()).default(["PACKAGE", "SERVICE", "APP"]),
        })
        .default({
          environment: ["ENVIRONMENT", "DEPLOY_ENV", "ENV"],
          version: ["VERSION", "RELEASE_VERSION", "TAG"],
          package: ["PACKAGE", "SERVICE", "APP"],
        }),
    })
    .default({
      parameters: {
        environment: ["ENVIRONMENT", "DEPLOY_ENV", "ENV"],
        version: ["VERSION", "RELEASE_VERSION", "TAG"],
        package: ["PACKAGE", "SERVICE", "APP"],
      },
    }),
});

export type SpongeConfig = z.output<typeof configSchema>;

/** Thrown when a configuration file does not match the schema; the message names each key. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Validates a parsed `sponge.config.json`. Pure: the caller reads the file.
 *
 * @example parseConfig({ defaultEnvironment: "prod" }).defaultEnvironment // "prod"
 */
export function parseConfig(json: unknown, origin = "sponge.config.json"): SpongeConfig {
  const result = configSchema.safeParse(json ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `  ${key}: ${issue.message}`;
  });
  throw new ConfigError(`${origin} is not valid:\n${problems.join("\n")}`);
}

/** The configuration used when no file is given. */
export const defaultConfig: SpongeConfig = parseConfig({});

/** The tier of an environment: configured, else guessed from its name, else `development`. */
export function tierOf(config: SpongeConfig, environment: string): Tier {
  const configured = config.environments[environment]?.tier;
  if (configured) return configured;
  const name = environment.toLowerCase();
  if (/^(prod|production|live)\b|prod/.test(name)) return "production";
  if (/stag|pre-?prod|uat/.test(name)) return "staging";
  if (/test|qa|ci/.test(name)) return "testing";
  return "development";
}
