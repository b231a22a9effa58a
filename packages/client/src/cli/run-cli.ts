import { createClient, type SpongeClient } from "../create-client.js";
import { SpongeError } from "../sponge-error.js";
import { VERSION } from "../version.js";
import { detectCi } from "./ci-context.js";
import { readCliEnv } from "./cli-env.js";
import type { CliIo } from "./cli-io.js";
import type { Command, CommandContext } from "./command.js";
import { COMMANDS, GROUPS } from "./commands.js";
import { groupHelp, mainHelp } from "./help.js";
import { UsageError } from "./usage-error.js";

/** Exit codes: 0 done, 1 error, 2 usage. */
export type ExitCode = 0 | 1 | 2;

/**
 * The `sponge` CLI without the process around it: parses `argv` (the arguments after
 * the program name), runs the command against the receiver and returns the exit code.
 * Errors become one line on stderr, never a stack trace.
 *
 * @example
 * const code = await runCli(["current", "api", "--environment", "production"], {
 *   env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr,
 * });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const env = readCliEnv(io.env);
  // Messages on stderr may quote the receiver; stdout carries results and is left as it is.
  const redact = (text: string) => (env.token ? text.replaceAll(env.token, "[redacted]") : text);
  const out = (text: string) => {
    io.stdout.write(`${text}\n`);
  };
  const err = (text: string) => {
    io.stderr.write(`${redact(text)}\n`);
  };
  try {
    const selected = select([...argv]);
    if (selected.kind === "text") {
      out(selected.text);
      return 0;
    }
    const { command, args } = selected;
    if (wantsHelp(args)) {
      out(command.help);
      return 0;
    }
    let client: SpongeClient | undefined;
    const context: CommandContext = {
      io,
      env,
      ci: detectCi(io.env),
      client: () => {
        client ??= makeClient(env.url, env.token, io.fetch, command.name);
        return client;
      },
      out,
      err,
    };
    await command.run(args, context);
    return 0;
  } catch (error) {
    return report(error, err, env.token !== undefined);
  }
}

type Selection = { kind: "text"; text: string } | { kind: "command"; command: Command; args: string[] };

function select(argv: string[]): Selection {
  const [first, second, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command", "");
  if (first === "--help" || first === "-h") return { kind: "text", text: mainHelp(COMMANDS) };
  if (first === "--version" || first === "-V") return { kind: "text", text: VERSION };
  if (first === "help") return helpFor([second, ...rest].filter((word) => word !== undefined));
  const single = COMMANDS.find((command) => command.name === first);
  if (single) return { kind: "command", command: single, args: argv.slice(1) };
  if (!GROUPS.includes(first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)}`, "");
  }
  const members = COMMANDS.filter((command) => command.name.startsWith(`${first} `));
  if (second === "--help" || second === "-h") return { kind: "text", text: groupHelp(first, members) };
  if (second === undefined) throw new UsageError(`missing ${first} command`, first);
  const command = members.find((candidate) => candidate.name === `${first} ${second}`);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(`${first} ${second}`)}`, first);
  return { kind: "command", command, args: rest };
}

/** `sponge help release start` prints what `sponge release start --help` does. */
function helpFor(words: string[]): Selection {
  const name = words.join(" ");
  if (name === "") return { kind: "text", text: mainHelp(COMMANDS) };
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return { kind: "text", text: command.help };
  if (GROUPS.includes(name)) {
    return {
      kind: "text",
      text: groupHelp(
        name,
        COMMANDS.filter((c) => c.name.startsWith(`${name} `)),
      ),
    };
  }
  throw new UsageError(`unknown command ${JSON.stringify(name)}`, "");
}

/** `--help` or `-h` anywhere before a `--` asks for help, whatever else is on the line. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

function makeClient(
  url: string,
  token: string | undefined,
  fetch: typeof globalThis.fetch | undefined,
  command: string,
): SpongeClient {
  try {
    return createClient({ url, token, fetch, userAgent: `sponge-cli/${VERSION}` });
  } catch (error) {
    if (error instanceof SpongeError) throw new UsageError(`SPONGE_URL: ${error.message}`, command);
    throw error;
  }
}

function report(error: unknown, write: (text: string) => void, hasToken: boolean): ExitCode {
  if (error instanceof UsageError) {
    write(`sponge: ${error.message}`);
    write(`Run 'sponge${error.command ? ` ${error.command}` : ""} --help' for usage.`);
    return 2;
  }
  if (error instanceof SpongeError) {
    write(`sponge: ${describe(error)}`);
    const hint = hintFor(error, hasToken);
    if (hint) write(hint);
    return 1;
  }
  write(`sponge: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

function describe(error: SpongeError): string {
  const issues = fieldIssues(error.details).filter((issue) => !error.message.includes(issue));
  const detail = issues.length > 0 ? `: ${issues.join("; ")}` : "";
  const status = error.status === undefined ? "" : ` (HTTP ${error.status}, ${error.code})`;
  return `${error.message}${detail}${status}`;
}

/** The receiver's validation details, `[{field, message}]`, as "field: message". */
function fieldIssues(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((issue: unknown) => {
    if (typeof issue !== "object" || issue === null) return [];
    const field = "field" in issue ? issue.field : undefined;
    const message = "message" in issue ? issue.message : undefined;
    return typeof field === "string" && typeof message === "string" ? [`${field}: ${message}`] : [];
  });
}

function hintFor(error: SpongeError, hasToken: boolean): string | undefined {
  if (error.status === 401) {
    return hasToken
      ? "The receiver refused SPONGE_TOKEN: check that it is current."
      : "Set SPONGE_TOKEN to an API token.";
  }
  if (error.status === 403)
    return "SPONGE_TOKEN lacks the scope this needs (write to record, admin for tokens).";
  if (error.code === "network_error" || error.code === "timeout")
    return "Check SPONGE_URL and that the receiver is up.";
  return undefined;
}
