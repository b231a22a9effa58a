import { VERSION } from "../version.js";
import { DEFAULT_URL } from "./cli-env.js";
import type { Command } from "./command.js";

const ENVIRONMENT = `Environment:
  SPONGE_URL         The receiver (default ${DEFAULT_URL})
  SPONGE_TOKEN       API token: write scope to record releases, admin for tokens
  SPONGE_RELEASE_ID  Default ID for release finish, add-package, add-host and log`;

function commandList(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
}

/** `sponge --help`. */
export function mainHelp(commands: readonly Command[]): string {
  return `Usage: sponge <command> [options]

Records deployments in a Sponge receiver and tells what version runs where.

Commands:
${commandList(commands)}

Options:
  -h, --help  Show help; after a command, that command's help
  --version   Print the version (${VERSION})

${ENVIRONMENT}

Exit codes: 0 done, 1 error (the receiver refused or could not be reached), 2 usage error.
Run 'sponge <command> --help' for a command's options and an example.`;
}

/** `sponge release --help` and the like. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  return `Usage: sponge ${group} <command> [options]

Commands:
${commandList(commands)}

${ENVIRONMENT}

Run 'sponge ${group} <command> --help' for a command's options and an example.`;
}
