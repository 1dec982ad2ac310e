/**
 * What Node's HTTP server answers itself before a request reaches Fastify, answered by the mock instead:
 *
 * - `Expect: 100-continue`: Node sends `100 Continue` at once, inviting the body before anything is
 *   checked. Here the engine judges the head first (`refuseHead`: 401 without a key, 415 for a body that is
 *   not JSON); a refused request gets its answer with the connection closed, and no body is invited.
 * - Any other `Expect`: Node's bare 417. Here a 400 `invalid_request` with the Error body (the spec lists
 *   no 417), connection closed.
 * - An HTTP/1.1 request with no Host: Node's bare 400 (`requireHostHeader`). Node's check is turned off
 *   (fastify-server.ts) and `missingHost` answers the same 400 with the Error body.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { EngineTransportApi } from "../engine/types.ts";
import { transportError } from "./client-errors.ts";
import { writeAnswer } from "./fastify-plugin.ts";

/** Answers `Expect` on `server` (the mock's own, at the root: no prefix) as the module comment says. */
export function answerExpectations(server: Server, api: EngineTransportApi): void {
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => {
    const refused = api.refuseHead?.(
      { method: request.method as string, url: request.url as string, headers: request.headers as never },
      api.now(),
    );
    if (refused) {
      writeAnswer(response, refused, true);
      return;
    }
    response.writeContinue();
    server.emit("request", request, response);
  });
  server.on("checkExpectation", (request: IncomingMessage, response: ServerResponse) => {
    const answer = transportError(
      "invalid_request",
      `The Expect header asks for ${JSON.stringify(request.headers.expect)}; the mock meets only "100-continue".`,
    );
    writeAnswer(response, answer, true);
  });
}

/** The answer to an HTTP/1.1 request without a Host header, or undefined when it has one (or is HTTP/1.0). */
export function missingHost(request: IncomingMessage): ReturnType<typeof transportError> | undefined {
  if (request.headers.host !== undefined || request.httpVersion !== "1.1") return undefined;
  return transportError("invalid_request", "An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2).");
}
