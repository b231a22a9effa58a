import { parseConfig, type SpongeConfig } from "@sponge/core";

/** How a package is deployed in the sample organisation. */
export interface DemoPackage {
  name: string;
  repository: string;
  ci: "github" | "jenkins" | "gitlab" | "cli";
  /** Mean days between new versions. */
  cadenceDays: number;
  /** Also deployed to prod-eu after production. */
  prodEu: boolean;
  /** Production hosts (0: none reported). */
  hosts: number;
  /** The version is the short commit sha (no tags). */
  shaVersions?: boolean;
}

export interface DemoTeam {
  team: string;
  jira: string;
  people: { name: string; login: string }[];
  packages: DemoPackage[];
}

/** The sample organisation `npm run demo` records: five teams, twelve packages, four environments. */
export const DEMO_TEAMS: readonly DemoTeam[] = [
  {
    team: "payments",
    jira: "PAY",
    people: [
      { name: "Ana Souza", login: "ana-souza" },
      { name: "Jonas Becker", login: "jbecker" },
      { name: "Priya Natarajan", login: "priyan" },
    ],
    packages: [
      {
        name: "payments-api",
        repository: "acme/payments-api",
        ci: "github",
        cadenceDays: 2,
        prodEu: true,
        hosts: 3,
      },
      {
        name: "payments-worker",
        repository: "acme/payments-worker",
        ci: "github",
        cadenceDays: 3,
        prodEu: true,
        hosts: 2,
      },
      { name: "ledger", repository: "acme/ledger", ci: "jenkins", cadenceDays: 5, prodEu: false, hosts: 2 },
    ],
  },
  {
    team: "web",
    jira: "WEB",
    people: [
      { name: "Mei Lin", login: "meilin" },
      { name: "Lucas Martin", login: "lmartin" },
      { name: "Sara Ahmed", login: "sahmed" },
    ],
    packages: [
      {
        name: "web-frontend",
        repository: "acme/web-frontend",
        ci: "github",
        cadenceDays: 1.2,
        prodEu: true,
        hosts: 4,
      },
      {
        name: "@acme/storefront",
        repository: "acme/storefront",
        ci: "github",
        cadenceDays: 2.5,
        prodEu: false,
        hosts: 0,
      },
      {
        name: "checkout-ui",
        repository: "acme/checkout-ui",
        ci: "github",
        cadenceDays: 2,
        prodEu: true,
        hosts: 2,
      },
    ],
  },
  {
    team: "platform",
    jira: "PLAT",
    people: [
      { name: "Tom Okafor", login: "tokafor" },
      { name: "Kenji Watanabe", login: "kenjiw" },
    ],
    packages: [
      {
        name: "api-gateway",
        repository: "acme/api-gateway",
        ci: "jenkins",
        cadenceDays: 4,
        prodEu: true,
        hosts: 4,
      },
      {
        name: "auth-service",
        repository: "acme/auth-service",
        ci: "github",
        cadenceDays: 3.5,
        prodEu: true,
        hosts: 3,
      },
      {
        name: "notifications",
        repository: "acme-platform/notifications",
        ci: "gitlab",
        cadenceDays: 4,
        prodEu: false,
        hosts: 2,
      },
    ],
  },
  {
    team: "data",
    jira: "DATA",
    people: [
      { name: "Olivia Brown", login: "obrown" },
      { name: "Diego Ramos", login: "dramos" },
    ],
    packages: [
      {
        name: "data-pipeline",
        repository: "acme-data/data-pipeline",
        ci: "gitlab",
        cadenceDays: 2.5,
        prodEu: false,
        hosts: 0,
        shaVersions: true,
      },
      {
        name: "search-indexer",
        repository: "acme/search-indexer",
        ci: "cli",
        cadenceDays: 6,
        prodEu: false,
        hosts: 2,
      },
    ],
  },
  {
    team: "mobile",
    jira: "MOB",
    people: [
      { name: "Fatima Zahra", login: "fzahra" },
      { name: "Noah Fischer", login: "nfischer" },
    ],
    packages: [
      {
        name: "mobile-bff",
        repository: "acme/mobile-bff",
        ci: "github",
        cadenceDays: 3,
        prodEu: true,
        hosts: 2,
      },
    ],
  },
];

export const DEMO_ENVIRONMENTS = ["development", "staging", "production", "prod-eu"] as const;
export type DemoEnvironment = (typeof DEMO_ENVIRONMENTS)[number];

/**
 * The receiver configuration of the sample organisation (a `sponge.config.json`): environment tiers,
 * team rules (by package, by repository and by CODEOWNERS, so the release pages show each kind of
 * inference), people's aliases and Jira projects.
 */
export const DEMO_CONFIG_JSON = {
  defaultEnvironment: "production",
  environments: {
    development: { tier: "development" },
    staging: { tier: "staging" },
    production: { tier: "production" },
    "prod-eu": { tier: "production" },
  },
  teams: [
    { team: "payments", packages: ["payments-*", "ledger"] },
    { team: "web", codeowners: ["@acme/web-team"] },
    { team: "platform", repositories: ["acme/api-gateway", "acme/auth-service", "acme-platform/*"] },
    { team: "mobile", packages: ["mobile-*"] },
  ],
  people: DEMO_TEAMS.flatMap((team) =>
    team.people.map((person) => ({ name: person.name, aliases: [person.login] })),
  ),
  bots: ["*[bot]", "jenkins"],
  references: { jiraProjects: DEMO_TEAMS.map((team) => team.jira) },
};

/** {@link DEMO_CONFIG_JSON}, parsed. */
export const DEMO_CONFIG: SpongeConfig = parseConfig(DEMO_CONFIG_JSON);
