import type { Command } from "./command.js";
import { current } from "./commands/current.js";
import { releaseAddHost } from "./commands/release-add-host.js";
import { releaseAddPackage } from "./commands/release-add-package.js";
import { releaseFinish } from "./commands/release-finish.js";
import { releaseLog } from "./commands/release-log.js";
import { releaseRecord } from "./commands/release-record.js";
import { releaseStart } from "./commands/release-start.js";
import { remove } from "./commands/remove.js";
import { tokensCreate } from "./commands/tokens-create.js";

/** Every `sponge` command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  releaseStart,
  releaseFinish,
  releaseRecord,
  releaseAddPackage,
  releaseAddHost,
  releaseLog,
  current,
  remove,
  tokensCreate,
];

/** Command groups (`sponge release …`) and the words that select them. */
export const GROUPS: readonly string[] = ["release", "tokens"];
