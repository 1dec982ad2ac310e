/**
 * Input the mock cannot take, found outside the store: a state (`PUT /__admin/state`, `--state FILE`),
 * seed sizes (`--contacts`, ...), webhook event patterns (`POST /__admin/webhooks`, `--webhook`). The store
 * throws StoreError for its own rules; this is for the checks made before anything reaches it.
 *
 * Its code is always the spec's `invalid_request`: over HTTP it is a 400 with the spec's `Error` body
 * (engine/stages/error-to-response.ts), on the command line a UsageError naming the flag (cli/flags.ts), from a state
 * file a StateFileError (state-file.ts). The message names what is wrong and what is accepted instead, and
 * `details` names each field.
 */
import type { ErrorDetail } from "./store/types.ts";

export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  readonly code = "invalid_request";

  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}
