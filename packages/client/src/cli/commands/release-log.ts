import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { releaseIdFrom } from "../arguments.js";
import type { CliIo } from "../cli-io.js";
import type { Command } from "../command.js";
import { parseCommandArgs, positionalsAtMost } from "../parse-command-args.js";
import { UsageError } from "../usage-error.js";

const name = "release log";

/** `sponge release log`: appends text lines from a file or stdin to a release's log. */
export const releaseLog: Command = {
  name,
  summary: "Append log lines to a release",
  help: `Usage: sponge release log [ID] [FILE|-] [--json]

Appends the lines of FILE, or of stdin when FILE is '-' or left out, to a release's
log. ID defaults to SPONGE_RELEASE_ID; with one argument, an existing file or '-' is
taken as FILE, anything else as ID. Large logs are sent in several requests.

Options:
  --json      Print what was sent as JSON
  -h, --help  Show this help

Examples:
  ./deploy.sh 2>&1 | tee deploy.log
  sponge release log deploy.log
  kubectl rollout status deploy/api 2>&1 | sponge release log "$SPONGE_RELEASE_ID" -`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({ args, options: { json: { type: "boolean" } }, allowPositionals: true, strict: true }),
    );
    const given = positionalsAtMost(name, positionals, 2);
    const { id, file } = await locate(given, context.env.releaseId);
    const text = file === "-" ? await readStdin(context.io) : await readLogFile(file);
    const client = context.client();
    const upload = await client.appendLogs(id, text);
    // Nothing was sent, so nothing said whether the release exists: a mistyped ID (or a file name taken
    // for one) must not read as success.
    if (upload.requests === 0) await client.getRelease(id);
    context.out(
      values.json
        ? JSON.stringify({ release_id: id, ...upload })
        : `${id} ${upload.lines} ${upload.lines === 1 ? "line" : "lines"}`,
    );
  },
};

async function locate(given: string[], envId: string | undefined): Promise<{ id: string; file: string }> {
  const [first, second] = given;
  if (first === undefined) return { id: releaseIdFrom(name, undefined, envId), file: "-" };
  if (second !== undefined) return { id: releaseIdFrom(name, first, envId), file: second };
  if (first === "-" || (await isFile(first)))
    return { id: releaseIdFrom(name, undefined, envId), file: first };
  if (envId === undefined || envId === first) return { id: first, file: "-" };
  // SPONGE_RELEASE_ID is set, so the argument was meant as a file: say it is missing rather
  // than reading an empty stdin and succeeding with nothing sent.
  throw new Error(
    `cannot read log file ${first}: no such file (to send stdin to release ${first}, run 'sponge release log ${first} -')`,
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readLogFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason =
      error instanceof Error && "code" in error && error.code === "ENOENT" ? "no such file" : String(error);
    throw new Error(`cannot read log file ${path}: ${reason}`);
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) {
    throw new UsageError("no log file given and stdin is a terminal: pass FILE or pipe the log in", name);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
