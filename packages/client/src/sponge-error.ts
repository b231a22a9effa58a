/** Codes the client itself produces when there is no usable answer from the receiver. */
export type ClientErrorCode =
  | "network_error"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "invalid_url"
  | "invalid_option";

export interface SpongeErrorInit {
  /** HTTP status of the receiver's answer; absent when no answer arrived. */
  status?: number | undefined;
  code: string;
  message: string;
  details?: unknown;
  cause?: unknown;
}

/**
 * The one error the client throws. `status` and `code` come from the receiver's
 * `{"error":{"code","message","details"?}}` answer, or `code` is one of the client's own
 * ({@link ClientErrorCode}) when the receiver could not be reached or answered nonsense.
 * Messages never contain the API token.
 *
 * @example
 * try { await client.getRelease(id) } catch (error) {
 *   if (error instanceof SpongeError && error.status === 404) console.log("no such release");
 * }
 */
export class SpongeError extends Error {
  override readonly name = "SpongeError";
  readonly status: number | undefined;
  readonly code: string;
  readonly details: unknown;

  constructor(init: SpongeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }

  /** True when trying again later may succeed: no answer, a timeout, 429 or a server error. */
  get transient(): boolean {
    if (this.status === undefined) return this.code === "network_error" || this.code === "timeout";
    return this.status === 429 || (this.status >= 500 && this.status !== 501 && this.status !== 505);
  }
}
