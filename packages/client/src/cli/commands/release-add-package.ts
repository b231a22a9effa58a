import { parseArgs } from "node:util";
import { parsePackageSpec, releaseIdFrom } from "../arguments.js";
import type { Command } from "../command.js";
import { parseCommandArgs, positionalsAtMost } from "../parse-command-args.js";
import { UsageError } from "../usage-error.js";

const name = "release add-package";

/** `sponge release add-package`: adds a package to a release that is under way. */
export const releaseAddPackage: Command = {
  name,
  summary: "Add a package to a release",
  help: `Usage: sponge release add-package [ID] NAME@VERSION [--json]

Adds a package to a release. ID defaults to SPONGE_RELEASE_ID.

Options:
  --json      Print the whole release as JSON
  -h, --help  Show this help

Example:
  sponge release add-package worker@1.4.2`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({ args, options: { json: { type: "boolean" } }, allowPositionals: true, strict: true }),
    );
    const given = positionalsAtMost(name, positionals, 2);
    const spec = given.at(-1);
    if (spec === undefined) throw new UsageError("missing NAME@VERSION", name);
    const pkg = parsePackageSpec(name, spec);
    const id = releaseIdFrom(name, given.length === 2 ? given[0] : undefined, context.env.releaseId);
    const release = await context.client().addPackages(id, [pkg]);
    context.out(values.json ? JSON.stringify(release, null, 2) : `${release.id} ${pkg.name}@${pkg.version}`);
  },
};
