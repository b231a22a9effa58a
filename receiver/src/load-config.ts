import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError, parseConfig, type SpongeConfig } from "@sponge/core";

/** The file read when `SPONGE_CONFIG` names none, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = "sponge.config.json";

/**
 * Reads and validates the configuration file: `path` when given (it must exist), else
 * `./sponge.config.json` when it exists, else the defaults. Unreadable files, JSON syntax
 * errors and schema errors throw a `ConfigError` naming the file, the key and what was expected.
 *
 * @example const config = await loadConfig(process.env.SPONGE_CONFIG);
 */
export async function loadConfig(
  path: string | undefined,
  cwd: string = process.cwd(),
): Promise<SpongeConfig> {
  const explicit = path !== undefined && path.trim() !== "";
  const file = resolve(cwd, explicit ? path : DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (!explicit && isNotFound(error)) return parseConfig({});
    throw new ConfigError(`cannot read the configuration file ${file}: ${describe(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${describe(error)}`);
  }
  // `null` is not a configuration any more than `[]` is (an empty file is a JSON syntax error).
  if (json === null) throw new ConfigError(`${file} is not valid:\n  (root): expected object, received null`);
  return parseConfig(json, file);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
