/**
 * A problem with how the action is used (an unknown mode, a bad `packages` line, a missing
 * credential). It always fails the step, whatever `fail-on-error` says: only receiver and
 * network trouble is downgraded to a warning.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}
