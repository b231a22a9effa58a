/** What the CLI reads and writes; `main.ts` passes the process's, tests pass their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: AsyncIterable<string | Uint8Array> & { isTTY?: boolean | undefined };
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** A fetch implementation; defaults to Node's global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
}
