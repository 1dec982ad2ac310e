/**
 * Reading a request's body so that bad input still gets an answer a client can read, over a real socket:
 *
 * - A body that stops arriving (fewer bytes than its Content-Length, or a chunked body left open) is
 *   answered 408 `request_timeout` once no byte of it has come for the body timeout, and the connection is
 *   closed (the rest of that body could not be told from the next request).
 * - A body over the route's limit is read to its end and thrown away, then answered 413
 *   `payload_too_large`. Left to itself, Fastify answers at once and closes the connection while the
 *   client is still sending: the client (Node's fetch, curl) gets EPIPE or "other side closed" instead of
 *   the answer. Past DRAIN_LIMIT the mock stops reading and closes the connection.
 * - An answer that went out before its body was read (401, 415, a GET with a body) leaves the rest to Node,
 *   which reads and drops it to keep the connection; if that rest stops arriving, the connection is closed
 *   after the same timeout rather than left open for good.
 *
 * Nothing past the route's limit is kept, nothing of a refused body is parsed, and no answer quotes it.
 * The timing is a stream the preParsing hook puts between the socket and Fastify's parser; it starts only
 * when the body is read, so a request answered before its body is read (401, 415) starts no timer there;
 * the onResponse hook watches what such an answer leaves, only when the rest has not all come.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest, onResponseHookHandler, preParsingHookHandler } from "fastify";
import { HttpError, sendError } from "./errors.ts";

/**
 * How much of a body over the limit the mock reads, and throws away, before answering 413. Clients send
 * the whole body before they read the answer, so the answer is only seen if the body is taken in. 64 MiB
 * covers a plausible mistake (a file or a generated array sent by error) and takes well under a second
 * on loopback; reading more would only let one request keep the server busy. A larger body (by its
 * Content-Length, or once that much has been read) gets the 413 with the connection closed at once, and
 * the client may see the connection cut instead.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

const noop = () => {};

/** The body as Fastify reads it: the same bytes, destroyed with a 408 when none has come for `timeoutMs`. */
class TimedBody extends Readable {
  private received = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private ended = false;

  constructor(
    private readonly source: Readable,
    private readonly timeoutMs: number,
    /** The Content-Length, when the body has one. */
    private readonly length: string | undefined,
  ) {
    super();
    // An error nobody waits for any more (the answer is gone already) must not take the server down.
    this.on("error", noop);
  }

  override _read(): void {
    if (this.started) {
      this.source.resume();
      return;
    }
    this.started = true;
    this.source.on("data", this.onData);
    this.source.on("end", this.onEnd);
    this.source.on("error", this.onError);
    this.source.on("close", this.onClose);
    this.timer = setTimeout(this.onTimeout, this.timeoutMs);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stop();
    callback(error);
  }

  private readonly onData = (chunk: Buffer) => {
    this.received += chunk.length;
    this.timer?.refresh();
    if (!this.push(chunk)) this.source.pause();
  };

  private readonly onEnd = () => {
    this.ended = true;
    this.stop();
    this.push(null);
  };

  private readonly onError = (error: Error) => this.destroy(error);

  private readonly onClose = () => {
    if (!this.ended) this.destroy(new Error("The client closed the connection before the body was complete."));
  };

  private readonly onTimeout = () => {
    const of = this.length === undefined ? "" : ` of ${this.length}`;
    const message =
      `The request body stopped arriving: nothing came for ${this.timeoutMs} ms, after ${this.received}${of} ` +
      "bytes. Send the whole body without pausing.";
    this.destroy(new HttpError("request_timeout", message, [], { connection: "close" }));
  };

  private stop(): void {
    clearTimeout(this.timer);
    if (!this.started) return;
    this.source.off("data", this.onData);
    this.source.off("end", this.onEnd);
    this.source.off("error", this.onError);
    this.source.off("close", this.onClose);
  }
}

/**
 * Where a request's timed body is kept, for `refuseTooLarge` to read the rest through: a property of the
 * raw request. (A WeakMap entry per request cost about 3 µs, more than the timed body itself.)
 */
const TIMED_BODY = Symbol("timed body");
type WithTimedBody = IncomingMessage & { [TIMED_BODY]?: Readable };

/** The preParsing hook: a request with a body has it read through a TimedBody. */
export function timeBodies(timeoutMs: number): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    const length = request.headers["content-length"];
    if (request.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) {
      done(null, payload);
      return;
    }
    const body = new TimedBody(payload, timeoutMs, length);
    (request.raw as WithTimedBody)[TIMED_BODY] = body;
    done(null, body);
  };
}

/** How reading the rest of a body ended: all of it, more than the bound, or an error (a 408, a client gone). */
type Drained = "ended" | "over" | Error;

function drain(stream: Readable, bound: number): Promise<Drained> {
  if (stream.errored) return Promise.resolve(stream.errored);
  if (stream.readableEnded) return Promise.resolve("ended");
  return new Promise((resolve) => {
    let read = 0;
    const finish = (outcome: Drained) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > bound) finish("over");
    };
    const onEnd = () => finish("ended");
    const onError = (error: Error) => finish(error);
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.resume();
  });
}

/**
 * Answers a body over the route's limit (Fastify's FST_ERR_CTP_BODY_TOO_LARGE): reads the rest of it, up
 * to DRAIN_LIMIT, then sends 413. All read, the connection serves the next request; past the bound, it is
 * closed. A body that stops arriving meanwhile is a 408.
 */
export async function refuseTooLarge(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const limit = request.routeOptions.bodyLimit;
  const body = (request.raw as WithTimedBody)[TIMED_BODY] ?? request.raw;
  const outcome = Number(request.headers["content-length"]) > DRAIN_LIMIT ? "over" : await drain(body, DRAIN_LIMIT);
  if (outcome instanceof HttpError) {
    reply.headers(outcome.headers);
    sendError(reply, outcome);
    return;
  }
  if (outcome === "ended") {
    reply.removeHeader("connection");
  } else {
    reply.header("connection", "close");
    // Stop reading (and stop its timer); the connection closes once the answer is out.
    if (body !== request.raw) body.destroy();
  }
  sendError(reply, {
    code: "payload_too_large",
    message: `The request body is over the ${limit}-byte limit; nothing was changed.`,
  });
}

/** The onResponse hook: watches the rest of a body its answer did not wait for (see the top of this file). */
export function closeStalledRests(timeoutMs: number): onResponseHookHandler {
  return (request, _reply, done) => {
    // `complete` is Node's; an injected request has none, and no connection to close.
    if (request.raw.complete === false && !request.raw.destroyed) watchRest(request.raw, timeoutMs);
    done();
  };
}

function watchRest(raw: IncomingMessage, timeoutMs: number): void {
  const timer = setTimeout(() => raw.socket.destroy(), timeoutMs);
  const refresh = () => timer.refresh();
  const stop = () => {
    clearTimeout(timer);
    raw.off("data", refresh);
    raw.off("end", stop);
    raw.off("close", stop);
  };
  raw.on("data", refresh);
  raw.on("end", stop);
  raw.on("close", stop);
}
