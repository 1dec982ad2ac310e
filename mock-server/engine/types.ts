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
  /**
   * No answer at all: the connection is to be dropped, as a network failure would (an override's
   * `networkError`). Over HTTP the socket is destroyed; an in-process fetch rejects with a `TypeError`, as
   * fetch does on a network failure; MSW answers `HttpResponse.error()`. `status` is then 0.
   */
  networkError?: true;
}

/** Turns a request into its response. Never rejects: every failure is an answer in the spec's `Error` shape. */
export type HandleRequest = (request: EngineRequest) => Promise<EngineResponse>;

/** Why a transport could not hand a body to the engine whole. */
export interface BodyRefusal {
  code: "request_timeout" | "payload_too_large";
  message: string;
  close: boolean;
}
/** What every transport needs of the engine. */
export interface EngineTransportApi {
  handle: HandleRequest;
  /** The largest body a request to `method` and `url` (path, query ignored) may carry, in bytes. */
  bodyLimit(method: string, url: string): number;
  /** The answer to a request whose body was refused (its head only), framed as the engine frames its answers (CORS, journal, coverage, 401/415 from the head first). `startedAt` is read on the engine's scheduler. */
  refuse(request: EngineRequest, refusal: BodyRefusal, startedAt: number): EngineResponse;
  /**
   * The answer to a request refused from its head alone (401 without an accepted key or admin token, 415 for
   * a body that is not JSON), framed as `refuse` frames it; undefined when its head passes. Asked before a
   * body is invited (`Expect: 100-continue`). A transport without it invites every body.
   */
  refuseHead?(request: EngineRequest, startedAt: number): EngineResponse | undefined;
  /** The engine's clock (its scheduler's `now`), for `startedAt`. */
  now(): number;
}
