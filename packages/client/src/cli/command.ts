import type { SpongeClient } from "../create-client.js";
import type { CiFindings } from "./ci-context.js";
import type { CliEnv } from "./cli-env.js";
import type { CliIo } from "./cli-io.js";

/** What a command gets to work with. */
export interface CommandContext {
  io: CliIo;
  env: CliEnv;
  ci: CiFindings;
  /** The receiver client, made on first use (a bad `SPONGE_URL` is a usage error then). */
  client(): SpongeClient;
  /** Writes a line to stdout. */
  out(text: string): void;
  /** Writes a line to stderr. */
  err(text: string): void;
}

/** One `sponge` command, e.g. `release start`. */
export interface Command {
  /** The words that select it: `release start`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(args: string[], context: CommandContext): Promise<void>;
}
