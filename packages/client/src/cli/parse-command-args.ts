import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

/**
 * Runs a `node:util` `parseArgs` call and turns its complaints (unknown option, missing
 * value) into a {@link UsageError} for `command`.
 *
 * @example parseCommandArgs("current", () => parseArgs({ args, options, allowPositionals: true }))
 */
export function parseCommandArgs<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(firstSentence(error.message), command);
    }
    throw error;
  }
}

/** Node's messages go on with advice about `--`; the first sentence is the useful part. */
function firstSentence(message: string): string {
  const line = message.split("\n")[0] ?? message;
  const end = line.indexOf(". ");
  return (end === -1 ? line : line.slice(0, end + 1)).replace(/\.$/, "");
}

/** The positional arguments, or a usage error when there are more than `max`. */
export function positionalsAtMost(command: string, positionals: string[], max: number): string[] {
  if (positionals.length > max) {
    const extra = positionals.slice(max).join(" ");
    throw new UsageError(`unexpected argument${positionals.length - max > 1 ? "s" : ""}: ${extra}`, command);
  }
  return positionals;
}

/** A required option's value, or a usage error naming it. */
export function required(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`missing --${flag}`, command);
  return value.trim();
}

/** An optional option's value, trimmed; empty means not given. */
export function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** The arguments of a command about one package in one environment: `PACKAGE [--environment ENV] [--json]`. */
export function packageCommandArgs(
  command: string,
  args: string[],
): { pkg: string; environment: string | undefined; json: boolean } {
  const { values, positionals } = parseCommandArgs(command, () =>
    parseArgs({
      args,
      options: { environment: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const [pkg] = positionalsAtMost(command, positionals, 1);
  if (pkg === undefined || pkg.trim() === "") throw new UsageError("missing PACKAGE", command);
  return { pkg: pkg.trim(), environment: optional(values.environment), json: values.json === true };
}
