/**
 * The engine as a Fastify plugin: every request under the plugin's prefix (every method, every path) is
 * handed to the engine as an `EngineRequest`, with the path the engine knows (the prefix taken off), and
 * its `EngineResponse` is sent back as it is: its status, its headers (content type included), its body.
 * No rule of the API lives here; only what a socket adds:
 *
 * - Bodies are read by the plugin's content-type parser, for every content type (the engine decides 400
 *   and 415 itself), as bytes (bodies.ts `readBody`): the engine's limit for the route (`bodyLimit`), a
 *   413 after the rest is drained, a 408 for a body that stops arriving; those refusals are framed by the
 *   engine (`refuse`: CORS, journal, coverage, 401/415 first).
 * - The request log: one record per answer on Fastify's logger (request-log.ts).
 * - A failure of the transport itself is a 500 in the spec's Error shape, and the server serves on.
 *
 * Imports nothing of the engine but its contract (`EngineTransportApi`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { BodyRefusal, EngineRequest, EngineResponse, EngineTransportApi } from "../engine/types.ts";
import { hasBody, readBody, watchRest } from "./bodies.ts";
import { transportError } from "./client-errors.ts";
import { requestRecord } from "./request-log.ts";

export interface EnginePluginOptions {
  /** The engine, as transports see it. */
  api: EngineTransportApi;
  /** How long (ms) a body may stop arriving before its 408 (`--body-timeout`). */
  bodyTimeoutMs: number;
  /** How long (ms) a whole body may take before its 408 (`--body-total-timeout`); a minute when absent. */
  bodyTotalTimeoutMs?: number;
}

/** A body the parser refused: why, and when the request came in (on the engine's clock, for the journal). */
class BodyRefused extends Error {
  constructor(
    readonly refusal: BodyRefusal,
    readonly startedAt: number,
  ) {
    super(refusal.message);
    this.name = "BodyRefused";
  }
}

/** The client went away before its body was whole: nobody to answer. */
class BodyAborted extends Error {
  override name = "BodyAborted";
}

/** An empty body, for a request that announced one of no bytes. */
const EMPTY = new Uint8Array(0);

/** The path and query the engine knows: the plugin's prefix taken off. */
function urlOf(request: FastifyRequest, prefixLength: number): string {
  const url = request.url;
  if (prefixLength === 0) return url;
  const rest = url.slice(prefixLength);
  return rest === "" || rest.charCodeAt(0) !== 47 /* / */ ? `/${rest}` : rest;
}

/** The request the engine is handed. */
function engineRequestOf(request: FastifyRequest, prefixLength: number, body?: Uint8Array): EngineRequest {
  const url = urlOf(request, prefixLength);
  const raw = request.raw;
  return body === undefined
    ? { method: raw.method as string, url, headers: headersOf(raw.headers) }
    : { method: raw.method as string, url, headers: headersOf(raw.headers), body };
}

/** Node's headers: lower case already, joined with ", " when sent twice; only `set-cookie` is a list. */
function headersOf(headers: IncomingMessage["headers"]): EngineRequest["headers"] {
  const cookies = headers["set-cookie"];
  if (cookies === undefined) return headers as EngineRequest["headers"];
  return { ...headers, "set-cookie": cookies.join(", ") };
}

/** Statuses that never carry a body, so no content-length either. */
const BODILESS = new Set([204, 304]);

/** Writes `answer` whole: its status and headers, `content-length` (the transport's to set), its body. */
export function writeAnswer(response: ServerResponse, answer: EngineResponse, close: boolean): void {
  const { status, body, headers } = answer;
  // Set on the answer's own headers, not a copy: every answer is made for its request.
  if (body !== undefined) {
    headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  } else if (!BODILESS.has(status)) {
    headers["content-length"] = "0";
  }
  // After this answer, what is left of the request could not be told from the next one.
  if (close) headers.connection = "close";
  response.writeHead(status, headers);
  response.end(body);
}

/** How the plugin answers: `answer` hands a request to the engine; `send` and `fail` write what comes back. */
export function engineHandlers(api: EngineTransportApi, bodyTimeoutMs: number, prefixLength: number) {
  /**
   * Sends the engine's answer as it is, on the raw response: Fastify's `reply.send` would rewrite it (a
   * charset added to a JSON content type, one chosen for a body without). `close` when the connection
   * cannot serve on.
   */
  const send = (request: FastifyRequest, reply: FastifyReply, answer: EngineResponse, close = false) => {
    reply.hijack();
    if (answer.networkError) {
      // No answer at all (an override's `networkError`): the connection is dropped, as a network failure would.
      request.raw.socket.destroy();
      return;
    }
    writeAnswer(reply.raw, answer, close);
    // Whatever of the body was not read (a GET's) is Node's to drop; a stall closes the connection.
    if (request.raw.complete === false) watchRest(request.raw, bodyTimeoutMs);
    // Fastify's logger is pino's, or one that drops everything when the server has none.
    if ((request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.("info") === true) {
      const { record, line } = requestRecord(request.method, request.url, answer, reply.elapsedTime);
      request.log.info(record, line);
    }
  };
  const fail = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    request.log.error({ err: error }, "the transport failed to answer");
    const message = `The mock failed to answer: ${error instanceof Error ? error.message : String(error)}`;
    send(request, reply, transportError("internal_error", message), true);
  };
  const answer = (request: FastifyRequest, reply: FastifyReply): void => {
    let body = request.body as Uint8Array | undefined;
    // A request that announced a body of no bytes hands the engine an empty one, not none.
    if (body === undefined && request.method !== "GET" && request.method !== "HEAD" && hasBody(request.headers)) {
      body = EMPTY;
    }
    api.handle(engineRequestOf(request, prefixLength, body)).then(
      (answered) => {
        try {
          send(request, reply, answered);
        } catch (error) {
          // A header Node refuses (a bug in a stage): still an answer.
          fail(request, reply, error);
        }
      },
      (error: unknown) => fail(request, reply, error),
    );
    // Nothing returned: a returned reply is a thenable Fastify would watch to its end (listeners on the
    // response, per request); the answer is written on the raw response, with the reply hijacked.
  };
  return { answer, send, fail };
}

/** The plugin (register it with a `prefix` to mount the mock under one). */
export async function enginePlugin(instance: FastifyInstance, options: EnginePluginOptions): Promise<void> {
  const { api, bodyTimeoutMs, bodyTotalTimeoutMs } = options;
  const prefixLength = instance.prefix.length;
  const { answer, send, fail } = engineHandlers(api, bodyTimeoutMs, prefixLength);

  // Every content type is read as bytes and handed on: the engine, not the transport, decides 400 and 415.
  // The parser reads the body itself (not `parseAs`): the engine's limit for the route, drained before its
  // 413, and the body timeout; a route's `bodyLimit` would answer at once and close (see the README).
  // The parser is also named for JSON, though `*` would take it too: Fastify caches the parser it finds for
  // a content type by name, but not its `*` fallback, which it looks for again on every request (the
  // Content-Type parsed, printed back, looked up twice: about 2.5 µs a POST); every write of the API is JSON.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(["*", "application/json"], (request, payload, done) => {
    const startedAt = api.now();
    const limit = api.bodyLimit(request.method, urlOf(request, prefixLength));
    readBody(payload, request.headers, limit, bodyTimeoutMs, bodyTotalTimeoutMs).then((read) => {
      if (read === null) done(new BodyAborted("The client went away before its body was whole."), undefined);
      else if ("refused" in read) done(new BodyRefused(read.refused, startedAt), undefined);
      else done(null, read.body);
    });
  });

  instance.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BodyAborted) {
      // Nobody to answer.
      reply.hijack();
      request.raw.destroy();
      return;
    }
    if (error instanceof BodyRefused) {
      const answered = api.refuse(engineRequestOf(request, prefixLength), error.refusal, error.startedAt);
      send(request, reply, answered, error.refusal.close);
      return;
    }
    // A Content-Type Fastify cannot read at all: the engine answers from the head (401, 415), unread.
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      answer(request, reply);
      return;
    }
    fail(request, reply, error);
  });

  // Every method and path under the prefix, and the prefix itself.
  const route = { exposeHeadRoute: false };
  instance.all("/*", route, answer);
  if (prefixLength > 0) instance.all("/", { ...route, prefixTrailingSlash: "no-slash" }, answer);
  // Methods Fastify routes nowhere still reach the engine (its 405).
  instance.setNotFoundHandler(answer);
}
