import type { GithubContext } from "./run-context.js";

/**
 * The runner-facing side effects, injected so the steps can be driven by `@actions/core`
 * in the bundle and inspected in tests.
 */
export interface ActionIo {
  /** An input as the runner passes it (`INPUT_<NAME>`), trimmed; "" when unset. */
  input(name: string): string;
  context: GithubContext;
  env: Readonly<Record<string, string | undefined>>;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** Masks a value in the job log. */
  setSecret(value: string): void;
  /** A GitHub Actions OIDC token for `audience` (needs `permissions: id-token: write`). */
  getIdToken(audience: string): Promise<string>;
  info(message: string): void;
  warning(message: string): void;
  setFailed(message: string): void;
  /** Appends Markdown/HTML to the job summary. */
  writeSummary(text: string): Promise<void>;
  now(): Date;
}

/** Names of the values main hands to post (`core.saveState`, read back as `STATE_<name>`). */
export const STATE = {
  releaseId: "release_id",
  releaseUrl: "release_url",
} as const;
