/**
 * What the store throws when a request cannot be carried out. It knows the spec's stable error codes
 * but nothing of HTTP: the HTTP layer maps each code to its status.
 */
import type { ErrorCode, ErrorDetail } from "./types.ts";

export class StoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "StoreError";
  }
}

export const notFound = (kind: string, id: string) => new StoreError("not_found", `No ${kind} with id ${id}.`);
