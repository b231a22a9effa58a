export type { ActionIo } from "./action-io.js";
export { STATE } from "./action-io.js";
export { actionsIo } from "./actions-io.js";
export { InputError } from "./input-error.js";
export { type ActionInputs, MODES, type Mode, type PackageSpec, parseInputs } from "./inputs.js";
export { runMain } from "./run-main.js";
export { runPost } from "./run-post.js";
