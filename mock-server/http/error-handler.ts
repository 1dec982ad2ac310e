/**
 * Every failure becomes the spec's `Error` body with the right status: store errors, invalid input found
 * outside the store (the admin API's state and webhook checks), HTTP-layer errors, validation failures
 * (naming each field), and Fastify's own errors for bodies and URLs (a body over the limit is first read to
 * its end, see request-body.ts). Anything else is a bug in the mock: it
 * answers 500 and is logged, and the server carries on.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Location, toDetails } from "../../lib/ajv-errors.ts";
import { InvalidInputError } from "../invalid-input.ts";
import { StoreError } from "../store/store-error.ts";
import type { ErrorCode } from "../store/types.ts";
import { HttpError, sendError } from "./errors.ts";
import { refuseTooLarge } from "./request-body.ts";

const LOCATION: Record<string, Location> = { body: "body", querystring: "query", params: "path", headers: "header" };

/** Fastify's own error codes for bad requests, as the spec's codes. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: (e: FastifyError, req: FastifyRequest) => string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: "invalid_json",
    message: () => "The body is not well-formed JSON (or holds a forbidden __proto__ / constructor key).",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: "invalid_json",
    message: () => "The body is empty, but its Content-Type says JSON: send a JSON object.",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "unsupported_media_type",
    message: (_, req) => `Send the body as application/json; got ${req.headers["content-type"] ?? "no Content-Type"}.`,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "invalid_request",
    message: () => "Content-Length does not match the body.",
  },
  FST_ERR_BAD_URL: { code: "invalid_request", message: () => "The URL is not well-formed (bad percent-encoding)." },
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | StoreError | InvalidInputError | HttpError, request, reply) => {
    if (error instanceof StoreError || error instanceof InvalidInputError || error instanceof HttpError) {
      if (error instanceof HttpError) reply.headers(error.headers);
      return sendError(reply, error);
    }
    if (error.validation) {
      const location = LOCATION[error.validationContext ?? "body"] ?? "body";
      const details = toDetails(error.validation as never, location);
      const unnamed = location === "body" ? "(body)" : "(a parameter with no name)";
      const summary = details.map((d) => `${d.field || unnamed} ${d.message}`).join("; ");
      const what = location === "body" ? "The request body is invalid" : `A ${location} parameter is invalid`;
      return sendError(reply, { code: "invalid_request", message: `${what}: ${summary}.`, details });
    }
    // Over the limit: the rest of the body is read and thrown away first, so the client can read the 413.
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return refuseTooLarge(request, reply);
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return sendError(reply, { code: known.code, message: known.message(error, request) });
    // A JSON body with a __proto__ or constructor key is refused by Fastify's parser, unread.
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return sendError(reply, { code: "invalid_json", message: `The body could not be read: ${error.message}.` });
    }
    request.log.error({ err: error }, "unexpected error");
    return sendError(reply, {
      code: "internal_error",
      message: "The mock failed unexpectedly; this is a bug in the mock.",
    });
  });
}

/** For Fastify's errors raised before routing (a URL it cannot decode), which bypass the error handler. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  return sendError(reply, {
    code: known?.code ?? "invalid_request",
    // The URL may be huge: say what is wrong without echoing it back.
    message: known?.message(error, _request) ?? "The request could not be routed: the URL is malformed or too long.",
  });
}
