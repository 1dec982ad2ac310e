/**
 * The engine's contract: a request in, a response out, nothing else. Every transport (the HTTP server,
 * the in-process fetch, MSW handlers) turns its own request into an `EngineRequest` and the
 * `EngineResponse` back into its own answer; none of them holds a rule of the API.
 *
 * Only web-standard types here (no Buffer, no streams), so that the engine runs in a browser too.
 */

/** A request as the engine reads it. */
export interface EngineRequest {
  /** Upper or lower case; the engine compares upper case. */
  method: string;
  /** The path and query (`/public/v1/contact?page=2`), or a whole URL whose origin is ignored. */
  url: string;
  /** Header names in lower case; a header sent more than once is joined with ", " as `Headers` does. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as sent, or absent when there was none. Bytes are read as UTF-8. */
  body?: Uint8Array | string;
}

/** A response as the engine makes it. */
export interface EngineResponse {
  status: number;
  /** Header names in lower case. `content-length` is the transport's to set. */
  headers: Record<string, string>;
  /** The body, or absent for none (a DELETE's 200, a 204 preflight). */
  body?: string | Uint8Array;
}

/** Turns a request into its response. Never rejects: every failure is an answer in the spec's `Error` shape. */
export type HandleRequest = (request: EngineRequest) => Promise<EngineResponse>;
