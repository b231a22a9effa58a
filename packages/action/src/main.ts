import { actionsIo } from "./actions-io.js";
import { runMain } from "./run-main.js";

await runMain(actionsIo());
