/**
 * The transport's own answers in the spec's `Error` shape, for what never reaches the engine: requests
 * Node's HTTP parser refuses before there is a request (Fastify's `clientErrorHandler`: a request line and
 * headers over Node's limit of 16 KiB, headers that stop arriving, bytes that are not HTTP), and a failure
 * of the transport itself. Node's own answer to a parser error is a bare status line with no body; a client
 * of the mock gets the Error body instead, like every other refusal, and the connection closes (what
 * follows on it cannot be told apart from the next request).
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import type { EngineResponse } from "../engine/types.ts";

type TransportErrorCode = "headers_too_large" | "request_timeout" | "invalid_request" | "internal_error";

/** The spec's Error body with the status the spec gives its code. */
export function transportError(code: TransportErrorCode, message: string): EngineResponse {
  return {
    status: STATUS_BY_CODE[code],
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ code, message }),
  };
}

/** Node's parser errors, by their `code`, as the spec's errors; anything else it refuses is a 400. */
function answerOf(code: string | undefined): EngineResponse {
  if (code === "HPE_HEADER_OVERFLOW") {
    return transportError(
      "headers_too_large",
      "The request line and headers are over the server's limit of 16 KiB; send shorter ones (long ids, queries or headers).",
    );
  }
  if (code === "HPE_HEADERS_TIMEOUT" || code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return transportError("request_timeout", "The request's headers stopped arriving before they were complete.");
  }
  return transportError("invalid_request", "The request is not well-formed HTTP/1.1 and could not be read.");
}

/** Fastify's `clientErrorHandler` for the mock's server. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A connection the client reset or closed has nobody to answer.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = answerOf(error.code);
  const body = answer.body as string;
  const lines = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}`];
  for (const [name, value] of Object.entries(answer.headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, "connection: close", "", body);
  socket.end(lines.join("\r\n"));
}
