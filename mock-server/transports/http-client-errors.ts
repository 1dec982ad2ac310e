/**
 * Requests Node's HTTP parser refuses before there is a request to hand the engine: a request line and
 * headers over Node's limit (16 KiB), headers that stop arriving, bytes that are not HTTP. Node's own answer
 * is a bare status line with no body; a client of the mock gets the spec's `Error` body instead, like every
 * other refusal, and the connection closes (what follows on it cannot be told apart from the next request).
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { errorResponse } from "../engine/error-response.ts";
import type { ErrorLike } from "../http-error.ts";

/** Node's parser errors, by their `code`, as the spec's errors; anything else it refuses is a 400. */
function errorOf(code: string | undefined): ErrorLike {
  if (code === "HPE_HEADER_OVERFLOW") {
    return {
      code: "headers_too_large",
      message:
        "The request line and headers are over the server's limit of 16 KiB; send shorter ones (long ids, queries or headers).",
    };
  }
  if (code === "HPE_HEADERS_TIMEOUT" || code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return { code: "request_timeout", message: "The request's headers stopped arriving before they were complete." };
  }
  return { code: "invalid_request", message: "The request is not well-formed HTTP/1.1 and could not be read." };
}

/** The `clientError` listener of the HTTP server. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A connection the client reset or closed has nobody to answer.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = errorResponse(errorOf(error.code));
  const body = answer.body as string;
  const lines = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}`];
  for (const [name, value] of Object.entries(answer.headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, "connection: close", "", body);
  socket.end(lines.join("\r\n"));
}
