import { parseArgs } from "node:util";
import { FINAL_STATUSES, parseStatus } from "../arguments.js";
import type { Command } from "../command.js";
import { parseCommandArgs, positionalsAtMost } from "../parse-command-args.js";
import { RELEASE_OPTIONS_HELP, releaseBody, releaseOptions } from "../release-options.js";

const name = "release record";

/** `sponge release record`: a finished release in one request, for scripts that report afterwards. */
export const releaseRecord: Command = {
  name,
  summary: "Record a finished release in one step",
  help: `Usage: sponge release record --package NAME@VERSION... --environment ENV [--status STATUS] [options]

Records a release that is already over (start and finish at once) and prints its id.

Options:
${RELEASE_OPTIONS_HELP}
  --status STATUS         succeeded (default), failed or cancelled; CI words such as
                          SUCCESS, FAILURE or ABORTED are understood
  -h, --help              Show this help

Example:
  sponge release record --package api@1.4.2 --environment staging --status "$BUILD_STATUS"`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({
        args,
        options: { ...releaseOptions, status: { type: "string" } },
        allowPositionals: true,
        strict: true,
      }),
    );
    positionalsAtMost(name, positionals, 0);
    const status =
      values.status === undefined ? "succeeded" : parseStatus(name, values.status, FINAL_STATUSES);
    const body = releaseBody(name, values, context.ci);
    const release = await context
      .client()
      .createRelease({ ...body, status, finished_at: new Date().toISOString() });
    context.out(values.json ? JSON.stringify(release, null, 2) : release.id);
  },
};
