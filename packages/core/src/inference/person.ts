import type { SpongeConfig } from "../config.js";
import { matchesAnyGlob } from "./glob.js";

/** A person as recorded: the configured name when an alias matched, and whether it is a bot. */
export interface ResolvedPerson {
  name: string;
  isBot: boolean;
}

/** A value that may name the person behind a release, and where it was found. */
export interface PersonCandidate {
  value: string | undefined;
  source: string;
}

export interface PersonChoice {
  person: string | null;
  isBot: boolean;
  source: string | null;
}

// GitHub's no-reply addresses carry the login: `21031067+Codertocat@users.noreply.github.com`.
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i;

/**
 * Resolves what a CI system or git says about a person (`jdoe`, `jane@acme.io`,
 * `Jane Doe <jane@acme.io>`, a GitHub no-reply address) to the configured name, and says
 * whether the account is a bot (`config.bots`, matched against every spelling).
 * Unknown people keep their display name (`Jane Doe <jane@acme.io>` -> `Jane Doe`).
 *
 * @example resolvePerson("jdoe", parseConfig({ people: [{ name: "Jane Doe", aliases: ["jdoe"] }] })) // { name: "Jane Doe", isBot: false }
 */
export function resolvePerson(raw: string, config: SpongeConfig): ResolvedPerson {
  const spellings = spellingsOf(raw);
  const configured = findConfigured(spellings, config);
  const name = configured ?? displayName(raw);
  const isBot = [...spellings, name].some((spelling) =>
    matchesAnyGlob(spelling, config.bots, { nocase: true }),
  );
  return { name, isBot };
}

/**
 * Picks the person from candidates in order of preference: the first human wins; a bot is
 * chosen only when every candidate is a bot (and is then flagged).
 *
 * @example choosePerson([{ value: "renovate[bot]", source: "ci.actor" }, { value: "jdoe", source: "commits.author" }], defaultConfig)
 * // { person: "jdoe", isBot: false, source: "commits.author" }
 */
export function choosePerson(candidates: readonly PersonCandidate[], config: SpongeConfig): PersonChoice {
  let firstBot: PersonChoice | undefined;
  for (const { value, source } of candidates) {
    if (!value?.trim()) continue;
    const resolved = resolvePerson(value.trim(), config);
    if (!resolved.isBot) return { person: resolved.name, isBot: false, source };
    firstBot ??= { person: resolved.name, isBot: true, source };
  }
  return firstBot ?? { person: null, isBot: false, source: null };
}

/**
 * An explicit person is kept as written, except that a configured alias becomes the
 * configured name (the configuration says they are the same person).
 *
 * @example resolveExplicitPerson("Jane <jane@acme.io>", defaultConfig) // { name: "Jane <jane@acme.io>", isBot: false }
 */
export function resolveExplicitPerson(raw: string, config: SpongeConfig): ResolvedPerson {
  const configured = findConfigured([raw], config);
  const name = configured ?? raw;
  const isBot = [raw, name].some((spelling) => matchesAnyGlob(spelling, config.bots, { nocase: true }));
  return { name, isBot };
}

function spellingsOf(raw: string): string[] {
  const spellings = [raw];
  const angle = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(raw);
  if (angle) spellings.push(angle[2] ?? "", angle[1] ?? "");
  for (const spelling of [...spellings]) {
    const login = NOREPLY.exec(spelling)?.[1];
    if (login) spellings.push(login);
  }
  return spellings.map((spelling) => spelling.trim()).filter((spelling) => spelling !== "");
}

function displayName(raw: string): string {
  const angle = /^(.+?)\s*<[^<>]+>$/.exec(raw);
  return angle?.[1]?.trim() || raw;
}

function findConfigured(spellings: readonly string[], config: SpongeConfig): string | undefined {
  const wanted = new Set(spellings.map((spelling) => spelling.toLowerCase()));
  for (const person of config.people) {
    const names = [person.name, ...person.aliases];
    if (names.some((name) => wanted.has(name.toLowerCase()))) return person.name;
  }
  return undefined;
}
