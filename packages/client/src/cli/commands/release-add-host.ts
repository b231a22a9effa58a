import { parseArgs } from "node:util";
import { ALL_STATUSES, parseStatus, releaseIdFrom } from "../arguments.js";
import type { Command } from "../command.js";
import { optional, parseCommandArgs, positionalsAtMost, required } from "../parse-command-args.js";

const name = "release add-host";

/** `sponge release add-host`: records one host's result within a release. */
export const releaseAddHost: Command = {
  name,
  summary: "Record one host's result",
  help: `Usage: sponge release add-host [ID] --name HOST [--status STATUS] [--package NAME] [--message TEXT] [--json]

Records the deployment on one host. ID defaults to SPONGE_RELEASE_ID.

Options:
  --name HOST       The host (required)
  --status STATUS   queued, running, succeeded, failed or cancelled (CI words such as
                    SUCCESS or FAILURE are understood)
  --package NAME    The package deployed on it, when the release has several
  --message TEXT    What happened, e.g. an error
  --json            Print the whole release as JSON
  -h, --help        Show this help

Example:
  sponge release add-host --name web-1 --status failed --message "health check timed out"`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(name, () =>
      parseArgs({
        args,
        options: {
          name: { type: "string" },
          status: { type: "string" },
          package: { type: "string" },
          message: { type: "string" },
          json: { type: "boolean" },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    const [argument] = positionalsAtMost(name, positionals, 1);
    const host = required(name, "name", values.name);
    const status = values.status === undefined ? undefined : parseStatus(name, values.status, ALL_STATUSES);
    const id = releaseIdFrom(name, argument, context.env.releaseId);
    const release = await context
      .client()
      .addHosts(id, [
        { name: host, status, package: optional(values.package), message: optional(values.message) },
      ]);
    const recorded = release.hosts.find((entry) => entry.name === host);
    context.out(
      values.json
        ? JSON.stringify(release, null, 2)
        : `${release.id} ${host} ${recorded?.status ?? status ?? ""}`.trim(),
    );
  },
};
