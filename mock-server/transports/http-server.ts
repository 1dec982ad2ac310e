/**
 * The HTTP transport: a plain `node:http` server that turns each request into an `EngineRequest` and the
 * `EngineResponse` back into its answer. No rule of the API lives here; only what a real socket adds:
 * bodies read with a limit and a timeout (http-body.ts) and the answers to those too large or too slow
 * (the engine's `refuse`), the answers to what Node's parser refuses (http-client-errors.ts), `content-length`
 * on every answer, and the one-line request log.
 *
 * Fastify did this before; plain `node:http` does the same with less per request (`npm run bench` runs the
 * Fastify server of the commit before the engine beside it: faster on every scenario).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Readable } from "node:stream";
import { errorResponse } from "../engine/error-response.ts";
import type { EngineRequest, EngineResponse, EngineTransportApi } from "../engine/types.ts";
import { hasBody, readBody, watchRest } from "./http-body.ts";
import { answerClientError } from "./http-client-errors.ts";

/**
 * The engine's side (`handle` answers every request whose body was read whole; `bodyLimit`, `refuse` and
 * `now` for a body too large or too slow, read on the engine's scheduler so that a test's manual
 * scheduler times refusals as it times every other answer), and the server's own settings.
 */
export interface HttpServerOptions extends EngineTransportApi {
  /** How long (ms) a body may stop arriving before its 408 (`--body-timeout`). */
  bodyTimeoutMs: number;
  /** Gets one line per answered request, `GET /public/v1/contact 200 1.4ms`; none when absent. */
  log?: (line: string) => void;
}

/** Methods whose body no route reads: answered at once, the body left to Node to read and drop. */
const BODY_IGNORED = new Set(["GET", "HEAD", "TRACE"]);

export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((request, response) => serve(options, request, response));
  // As Fastify had them: an idle keep-alive connection lasts 72 s, and a request as long as its body keeps
  // coming (the body timeout is ours).
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;
  // What Node's parser refuses (a head over 16 KiB, bytes that are not HTTP) gets the spec's Error body too.
  server.on("clientError", answerClientError);
  return server;
}

function serve(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse): void {
  const started = options.log ? performance.now() : 0;
  const send = (answer: EngineResponse, close: boolean) => {
    try {
      write(response, answer, close);
    } catch (error) {
      // A header Node refuses (a bug in a stage): still an answer, and the server serves on.
      failed(response, error);
      return;
    }
    // Whatever of the body was not read (a GET's, one refused at once) is Node's to drop; a stall closes it.
    if (!close) watchRest(request, options.bodyTimeoutMs);
    if (options.log) {
      const url = request.url as string;
      const path = url.includes("?") ? url.slice(0, url.indexOf("?")) : url;
      options.log(`${request.method} ${path} ${answer.status} ${(performance.now() - started).toFixed(1)}ms`);
    }
  };
  const fail = (error: unknown) => failed(response, error);
  const method = request.method as string;
  const headers = request.headers;
  // Most requests have no body to read: straight to the engine, with no promise of the transport's own.
  if (!hasBody(headers) || BODY_IGNORED.has(method)) {
    const url = request.url as string;
    options.handle({ method, url, headers: headersOf(headers) }).then((answer) => send(answer, false), fail);
    return;
  }
  respond(options, request, headers, request).then((answered) => {
    // The client went away before its body was whole: nobody to answer.
    if (answered !== null) send(answered.answer, answered.close);
  }, fail);
}

/** An answer, and whether the connection must close after it. */
export interface Answered {
  answer: EngineResponse;
  close: boolean;
}

const keepOpen = (answer: EngineResponse): Answered => ({ answer, close: false });

/**
 * Reads the body of a request from `source` as the server does (limit, timeout) and answers it: through
 * the engine when the body came whole, else the refusal. Null when the source ended before the body did.
 */
export function respond(
  options: HttpServerOptions,
  head: { method?: string | undefined; url?: string | undefined },
  rawHeaders: IncomingHttpHeaders,
  source: Readable,
): Promise<Answered | null> {
  const method = head.method as string;
  const url = head.url as string;
  const headers = headersOf(rawHeaders);
  if (!hasBody(rawHeaders) || BODY_IGNORED.has(method)) return options.handle({ method, url, headers }).then(keepOpen);
  const started = options.now();
  return readBody(source, rawHeaders, options.bodyLimit(method, url), options.bodyTimeoutMs).then((read) => {
    if (read === null) return null;
    if ("refused" in read) {
      const answer = options.refuse({ method, url, headers }, read.refused, started);
      return { answer, close: read.refused.close };
    }
    return options.handle({ method, url, headers, body: read.body }).then(keepOpen);
  });
}

/** Node's headers: lower case already, joined with ", " when sent twice; only `set-cookie` is a list. */
function headersOf(headers: IncomingHttpHeaders): EngineRequest["headers"] {
  const cookies = headers["set-cookie"];
  if (cookies === undefined) return headers as EngineRequest["headers"];
  return { ...headers, "set-cookie": cookies.join(", ") };
}

/** Statuses that never carry a body, so no content-length either. */
const BODILESS = new Set([204, 304]);

function write(response: ServerResponse, answer: EngineResponse, close: boolean): void {
  const { status, body, headers } = answer;
  // Set on the answer's own headers, not a copy: `content-length` is the transport's to set (engine/types.ts),
  // and every answer is made for its request.
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

/** The engine never rejects: this is for a bug in the transport itself, still answered in the spec's shape. */
function failed(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const message = `The mock failed to answer: ${error instanceof Error ? error.message : String(error)}`;
  write(response, errorResponse({ code: "internal_error", message }), true);
}
