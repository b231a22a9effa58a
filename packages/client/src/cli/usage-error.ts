/** A mistake in how the CLI was called: reported with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  /** @param command the command whose help explains the mistake, e.g. `release start`. */
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}
