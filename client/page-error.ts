/**
 * What `paginate` throws when a page answers with an error. It carries what a caller branches on
 * (status, code, details) and a message that says which page of which path failed and why.
 * The message is built from the error body, which the client has already cleared of the API key.
 */
import { type ApiError, isApiError } from "./error-body.ts";

export class PageError extends Error {
  override readonly name = "PageError";
  /** HTTP status of the failed page. */
  readonly status: number;
  /** The API's error code (`unauthorized`, `not_found`, ...). */
  readonly code: ApiError["code"];
  readonly details: ApiError["details"];

  constructor(
    /** The spec path listed, e.g. `/chat/{chatId}/message`. */
    readonly path: string,
    /** The page that failed. */
    readonly page: number,
    response: Response,
    error: unknown,
  ) {
    // A 2xx with no body is not an API error either; it is described in the same words.
    const body: ApiError = isApiError(error)
      ? error
      : { code: "internal_error", message: `The server answered ${response.status} with no list in the body.` };
    super(`Failed to list "GET ${path}" (page ${page}): ${response.status} ${body.code}: ${body.message}`);
    this.status = response.status;
    this.code = body.code;
    this.details = body.details;
  }
}
