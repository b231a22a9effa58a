import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { parseCommandArgs, positionalsAtMost } from "../parse-command-args.js";
import { RELEASE_OPTIONS_HELP, releaseBody, releaseOptions } from "../release-options.js";

const name = "release start";

/** `sponge release start`: opens a release (status `running`) and prints its id. */
export const releaseStart: Command = {
  name,
  summary: "Start a release and print its id",
  help: `Usage: sponge release start --package NAME@VERSION... --environment ENV [options]

Starts a release (status running) and prints its id. Finish it with
'sponge release finish' once the deployment is over.

Options:
${RELEASE_OPTIONS_HELP}
  -h, --help              Show this help

Example:
  export SPONGE_RELEASE_ID=$(sponge release start --package api@1.4.2 --environment production)
  ./deploy.sh && sponge release finish || sponge release finish --status failed`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({ args, options: releaseOptions, allowPositionals: true, strict: true }),
    );
    positionalsAtMost(name, positionals, 0);
    const release = await context.client().createRelease(releaseBody(name, values, context.ci));
    context.out(values.json ? JSON.stringify(release, null, 2) : release.id);
  },
};
