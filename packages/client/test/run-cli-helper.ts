import { Readable } from "node:stream";
import { runCli } from "../src/cli/run-cli.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  /** Text on stdin; left out, stdin is an empty pipe. */
  stdin?: string;
  /** Pretend stdin is a terminal. */
  tty?: boolean;
}

/** Runs the CLI in-process with its own streams and only the environment given. */
export async function cli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
    isTTY: options.tty ?? false,
  });
  const code = await runCli(argv, {
    env: options.env ?? {},
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}
