/**
 * A request's body as Fastify's parser reads it, with what a real socket needs so that bad input still
 * gets an answer a client can read (the preParsing hook of fastify-plugin.ts puts it between the socket
 * and the parser):
 *
 * - A body that stops arriving (fewer bytes than its Content-Length, or a chunked body left open) is
 *   refused 408 `request_timeout` once no byte of it has come for the body timeout, and the connection is
 *   closed (the rest of that body could not be told from the next request). Each byte that comes restarts
 *   the wait, so a slow but steady upload is not cut.
 * - A body over the route's limit is read to its end and thrown away, then refused 413
 *   `payload_too_large`, and the connection serves the next request. Answering at once and closing, while
 *   the client is still sending, loses the answer: the client (Node's fetch, curl) gets EPIPE or "other
 *   side closed". Past DRAIN_LIMIT, or with a Content-Length over it, the mock stops reading and the 413
 *   closes the connection.
 * - An answer that goes out before its body was read (a GET's) leaves the rest to Node, which reads and
 *   drops it to keep the connection; if that rest stops arriving, `watchRest` closes the connection after
 *   the same timeout rather than leaving it open for good.
 *
 * Nothing past the limit is kept, and nothing of a refused body is parsed or quoted. `readBody` reads a
 * whole body the same way, for a server of `node:http` (the proxy, proxy/index.ts).
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { BodyRefusal } from "../engine/types.ts";

/**
 * How much of a body over the limit the mock reads, and throws away, before answering 413. Clients send
 * the whole body before they read the answer, so the answer is only seen if the body is taken in. 64 MiB
 * covers a plausible mistake (a file or a generated array sent by error) and takes well under a second
 * on loopback; reading more would only let one request keep the server busy. A larger body (by its
 * Content-Length, or once that much more has been read) gets the 413 with the connection closed at once,
 * and the client may see the connection cut instead.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/** The error a refused body ends with: Fastify's parser hands it to the plugin's error handler. */
export class BodyRefused extends Error {
  constructor(readonly refusal: BodyRefusal) {
    super(refusal.message);
    this.name = "BodyRefused";
  }
}

/** The client went away before its body was whole: nobody to answer. */
export class BodyAborted extends Error {
  override name = "BodyAborted";
}

const tooLarge = (limit: number, close: boolean) =>
  new BodyRefused({
    code: "payload_too_large",
    message: `The request body is over the ${limit}-byte limit; nothing was changed.`,
    close,
  });

/** Whether a request carries a body at all: a Content-Length, or a Transfer-Encoding (chunked). */
export function hasBody(headers: IncomingMessage["headers"]): boolean {
  return headers["transfer-encoding"] !== undefined || headers["content-length"] !== undefined;
}

/**
 * The body of a request: the same bytes as `source` up to `limit`; past it, nothing more is passed on, the
 * rest is read and dropped, and the stream ends in a 413 `BodyRefused`. A stall of `timeoutMs` ends it in a
 * 408, the client going away in `BodyAborted`.
 */
export class TimedBody extends Readable {
  private received = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private ended = false;
  private readonly length: string | undefined;

  constructor(
    private readonly source: IncomingMessage | Readable,
    headers: IncomingMessage["headers"],
    private readonly limit: number,
    private readonly timeoutMs: number,
    /** When the request came in, on the engine's clock (for the journal, if refused). */
    readonly startedAt: number,
  ) {
    super();
    this.length = headers["content-length"];
    // An error nobody waits for any more (the answer is gone already) must not take the server down.
    this.on("error", () => undefined);
  }

  override _read(): void {
    if (this.started) {
      this.source.resume();
      return;
    }
    this.started = true;
    // Too large to take in, by its own account: refused before a byte is read.
    const declared = this.length === undefined ? Number.NaN : Number(this.length);
    if (declared > this.limit && declared > DRAIN_LIMIT) {
      this.destroy(tooLarge(this.limit, true));
      return;
    }
    this.source.on("data", this.onData);
    this.source.on("end", this.onEnd);
    this.source.on("error", this.onGone);
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
    if (this.received <= this.limit) {
      if (!this.push(chunk)) this.source.pause();
      return;
    }
    // Over the limit: nothing more is passed on; the rest is only counted, up to the bound.
    if (this.received - this.limit > DRAIN_LIMIT) {
      // Nothing more is read; the connection closes once the 413 is out.
      this.source.pause();
      this.destroy(tooLarge(this.limit, true));
    }
  };

  private readonly onEnd = () => {
    this.ended = true;
    if (this.received > this.limit) {
      this.destroy(tooLarge(this.limit, false));
      return;
    }
    this.stop();
    this.push(null);
  };

  private readonly onGone = () => this.destroy(new BodyAborted("The client went away before its body was whole."));

  private readonly onClose = () => {
    if (!this.ended) this.onGone();
  };

  private readonly onTimeout = () => {
    const of = this.length === undefined ? "" : ` of ${this.length}`;
    this.destroy(
      new BodyRefused({
        code: "request_timeout",
        message:
          `The request body stopped arriving: nothing came for ${this.timeoutMs} ms, after ${this.received}${of} bytes. ` +
          "Send the whole body without pausing.",
        close: true,
      }),
    );
  };

  private stop(): void {
    clearTimeout(this.timer);
    if (!this.started) return;
    this.source.off("data", this.onData);
    this.source.off("end", this.onEnd);
    this.source.off("error", this.onGone);
    this.source.off("close", this.onClose);
  }
}

/** After an answer that did not wait for its body: closes the connection if the rest stops arriving. */
export function watchRest(request: IncomingMessage, timeoutMs: number): void {
  if (request.complete || request.destroyed || !request.socket) return;
  const timer = setTimeout(() => request.socket.destroy(), timeoutMs);
  const refresh = () => timer.refresh();
  const stop = () => {
    clearTimeout(timer);
    request.off("data", refresh);
    request.off("end", stop);
    request.off("close", stop);
  };
  request.on("data", refresh);
  request.on("end", stop);
  request.on("close", stop);
  // Node drops the rest once the answer is out; reading it here does the same, and sees it stop.
  request.resume();
}

/**
 * How reading ended: the whole body (`undefined` when the request has none), a refusal, or `null` when the
 * client went away first (nobody to answer).
 */
export type BodyOutcome = { body: Uint8Array | undefined } | { refused: BodyRefusal } | null;

/** Reads a request's whole body from `source` as the mock's server does: at most `limit` bytes, a stall of `timeoutMs`. */
export function readBody(
  source: IncomingMessage | Readable,
  headers: IncomingMessage["headers"],
  limit: number,
  timeoutMs: number,
): Promise<BodyOutcome> {
  if (!hasBody(headers)) return Promise.resolve({ body: undefined });
  const body = new TimedBody(source, headers, limit, timeoutMs, 0);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.on("end", () => resolve({ body: Buffer.concat(chunks) }));
    body.on("error", (error) => resolve(error instanceof BodyRefused ? { refused: error.refusal } : null));
  });
}
