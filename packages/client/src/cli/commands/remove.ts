import type { Command } from "../command.js";
import { packageCommandArgs } from "../parse-command-args.js";

const name = "remove";

/** `sponge remove`: records that a package was taken out of an environment. */
export const remove: Command = {
  name,
  summary: "Record that a package no longer runs in an environment",
  help: `Usage: sponge remove PACKAGE [--environment ENV] [--json]

Records that PACKAGE was taken out of ENV (the receiver's default environment when
left out): a service decommissioned, an environment torn down. It has no current
version there until a deployment that finishes later; its history and DORA figures
stay. Prints the version that was current. Removing it again answers as the first
time did; exits 1 when nothing was ever current there.

Options:
  --environment ENV  The environment, e.g. production
  --json             Print package, environment, removed_at, version and release_id
                     as JSON
  -h, --help         Show this help

Example:
  sponge remove legacy-billing --environment production`,
  async run(args, context) {
    const { pkg, environment, json } = packageCommandArgs(name, args);
    const removed = await context.client().removeCurrent(pkg, environment);
    if (json) context.out(JSON.stringify(removed, null, 2));
    else {
      const version = removed.version ?? "(no version)";
      context.out(version);
      context.err(
        `removed ${removed.package} ${version} from ${removed.environment} at ${removed.removed_at}`,
      );
    }
  },
};
