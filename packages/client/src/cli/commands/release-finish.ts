import { parseArgs } from "node:util";
import { FINAL_STATUSES, parseStatus, releaseIdFrom } from "../arguments.js";
import type { Command } from "../command.js";
import { parseCommandArgs, positionalsAtMost } from "../parse-command-args.js";

const name = "release finish";

/** `sponge release finish`: closes a release with its final status. */
export const releaseFinish: Command = {
  name,
  summary: "Finish a release with its final status",
  help: `Usage: sponge release finish [ID] [--status STATUS] [--json]

Finishes a release. ID defaults to SPONGE_RELEASE_ID. Prints the id and the status.

Options:
  --status STATUS  succeeded (default), failed or cancelled; CI words such as
                   SUCCESS, FAILURE or ABORTED are understood
  --json           Print the whole release as JSON
  -h, --help       Show this help

Example:
  sponge release finish "$SPONGE_RELEASE_ID" --status failed`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({
        args,
        options: { status: { type: "string" }, json: { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      }),
    );
    const [argument] = positionalsAtMost(name, positionals, 1);
    const status =
      values.status === undefined ? "succeeded" : parseStatus(name, values.status, FINAL_STATUSES);
    const id = releaseIdFrom(name, argument, context.env.releaseId);
    const release = await context.client().finishRelease(id, { status });
    context.out(values.json ? JSON.stringify(release, null, 2) : `${release.id} ${release.status}`);
  },
};
