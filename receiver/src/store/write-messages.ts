import type { SpongeConfig } from "@sponge/core";
import { ApiError } from "../errors.js";
import type { WriteOperationName } from "../releases/write-operations.js";
import type { DatabaseOptions } from "./database.js";
import type { BatchStats } from "./write-queue.js";

/** What the write thread starts with. */
export interface WriteThreadData {
  path: string;
  options: DatabaseOptions;
}

/** Messages to the write thread. */
export type ToWriteThread =
  | {
      type: "write";
      id: number;
      name: WriteOperationName;
      now: string;
      /** The repository an OIDC caller is confined to (WriteContext.owner). */
      owner?: string;
      /** Sent with the first write and whenever it changes; the thread keeps the last one. */
      config?: SpongeConfig;
      args: unknown;
    }
  | { type: "close" };

/** An error as it crosses threads: an ApiError keeps its status, code and details. */
export type ThreadError =
  | { api: true; status: ApiError["status"]; code: string; message: string; details?: ApiError["details"] }
  | { api: false; message: string };

/** Messages from the write thread. A batch's `commit` always comes before its writes' answers. */
export type FromWriteThread =
  | { type: "commit"; stats: BatchStats }
  | { type: "done"; id: number; value: unknown }
  | { type: "failed"; id: number; error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof ApiError) {
    return {
      api: true,
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  return { api: false, message: error instanceof Error ? error.message : String(error) };
}

export function fromThreadError(error: ThreadError): Error {
  return error.api
    ? new ApiError(error.status, error.code, error.message, error.details)
    : new Error(`write thread: ${error.message}`);
}
