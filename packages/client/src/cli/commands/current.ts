import type { Command } from "../command.js";
import { packageCommandArgs } from "../parse-command-args.js";

const name = "current";

/** `sponge current`: the version of a package that runs in an environment now. */
export const current: Command = {
  name,
  summary: "Print the version of a package that runs in an environment",
  help: `Usage: sponge current PACKAGE [--environment ENV] [--json]

Prints the version of PACKAGE from its latest succeeded deployment in ENV (the
receiver's default environment when left out). Exits 1 when it was never deployed there.

Options:
  --environment ENV  The environment, e.g. production
  --json             Print package, environment, version, release_id, deployed_at,
                     person, team and commit as JSON
  -h, --help         Show this help

Example:
  sponge current @acme/api --environment production`,
  async run(args, context) {
    const { pkg, environment, json } = packageCommandArgs(name, args);
    const found = await context.client().current(pkg, environment);
    if (json) context.out(JSON.stringify(found, null, 2));
    else if (found.version !== null) context.out(found.version);
    else context.err(`${found.package} has no version recorded in ${found.environment}`);
  },
};
