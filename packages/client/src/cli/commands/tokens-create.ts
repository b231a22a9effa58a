import { parseArgs } from "node:util";
import type { TokenScope } from "../../types.js";
import type { Command } from "../command.js";
import { optional, parseCommandArgs, positionalsAtMost, required } from "../parse-command-args.js";
import { UsageError } from "../usage-error.js";

const name = "tokens create";
const SCOPES: readonly TokenScope[] = ["read", "write", "admin"];

/** `sponge tokens create`: a new API token, through `POST /api/tokens` (admin scope). */
export const tokensCreate: Command = {
  name,
  summary: "Create an API token (needs an admin token)",
  help: `Usage: sponge tokens create --scope read|write|admin [--name NAME] [--json]

Creates an API token and prints it. It is shown this once: store it now.
SPONGE_TOKEN must hold a token with admin scope.

Options:
  --scope SCOPE  read, write or admin (each includes the one before) (required)
  --name NAME    What the token is for, e.g. jenkins
  --json         Print the token with its id, scope and name as JSON
  -h, --help     Show this help

Example:
  sponge tokens create --scope write --name gitlab-ci`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({
        args,
        options: { scope: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      }),
    );
    positionalsAtMost(name, positionals, 0);
    const word = required(name, "scope", values.scope);
    const scope = SCOPES.find((candidate) => candidate === word.toLowerCase());
    if (scope === undefined) {
      throw new UsageError(`--scope must be one of ${SCOPES.join(", ")}, got ${JSON.stringify(word)}`, name);
    }
    const created = await context.client().createToken({ scope, name: optional(values.name) });
    if (values.json) {
      context.out(JSON.stringify(created, null, 2));
    } else {
      context.out(created.token);
      context.err("Store this token now: it is not shown again.");
    }
  },
};
