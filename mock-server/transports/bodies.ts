/**
 * Reading a request's body off a real socket, so that bad input still gets an answer a client can read
 * (the content-type parser of fastify-plugin.ts reads every body with `readBody`; so does the proxy,
 * proxy/index.ts):
 *
 * - A body that stops arriving (fewer bytes than its Content-Length, or a chunked body left open) is
 *   refused 408 `request_timeout` once no byte of it has come for the body timeout, and the connection is
 *   closed (the rest of that body could not be told from the next request). Each byte that comes restarts
 *   the wait, so a slow but steady upload is not cut; but the whole body must come within the total body
 *   timeout (`--body-total-timeout`), so a body dripped a byte at a time cannot hold a request for good.
 * - A body over the route's limit is read to its end and thrown away, then refused 413
 *   `payload_too_large`, and the connection serves the next request. Answering at once and closing, while
 *   the client is still sending, loses the answer: the client (Node's fetch, curl) gets EPIPE or "other
 *   side closed". Past DRAIN_LIMIT, or with a Content-Length over it, the mock stops reading and the 413
 *   closes the connection.
 * - An answer that goes out before its body was read (a GET's) leaves the rest to Node, which reads and
 *   drops it to keep the connection; if that rest stops arriving, `watchRest` closes the connection after
 *   the same timeout rather than leaving it open for good.
 *
 * Nothing past the limit is kept, and nothing of a refused body is parsed or quoted.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { BodyRefusal } from "../engine/types.ts";
import { DEFAULT_BODY_TOTAL_TIMEOUT_MS } from "../mock-options.ts";

/**
 * How much of a body over the limit the mock reads, and throws away, before answering 413. Clients send
 * the whole body before they read the answer, so the answer is only seen if the body is taken in. 64 MiB
 * covers a plausible mistake (a file or a generated array sent by error) and takes well under a second
 * on loopback; reading more would only let one request keep the server busy. A larger body (by its
 * Content-Length, or once that much more has been read) gets the 413 with the connection closed at once,
 * and the client may see the connection cut instead.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * How reading ended: the whole body (`undefined` when the request has none), a refusal, or `null` when the
 * client went away first (nobody to answer).
 */
export type BodyOutcome = { body: Uint8Array | undefined } | { refused: BodyRefusal } | null;

const NO_BODY: BodyOutcome = { body: undefined };

const tooLarge = (limit: number, close: boolean): BodyOutcome => ({
  refused: {
    code: "payload_too_large",
    message: `The request body is over the ${limit}-byte limit; nothing was changed.`,
    close,
  },
});

/** Whether a request carries a body at all: a Content-Length, or a Transfer-Encoding (chunked). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers["transfer-encoding"] !== undefined || headers["content-length"] !== undefined;
}

/**
 * Reads a request's body from `source` (the request itself, or a test's stream), keeping at most `limit`
 * bytes, waiting at most `timeoutMs` for each byte and `totalTimeoutMs` for the whole body. Nothing is read
 * when the headers announce no body.
 */
export function readBody(
  source: Readable,
  headers: IncomingHttpHeaders,
  limit: number,
  timeoutMs: number,
  totalTimeoutMs: number = DEFAULT_BODY_TOTAL_TIMEOUT_MS,
): Promise<BodyOutcome> {
  if (!hasBody(headers)) return Promise.resolve(NO_BODY);
  const length = headers["content-length"];
  const declared = length === undefined ? Number.NaN : Number(length);
  // Too large to take in, by its own account: refused before a byte is read.
  if (declared > limit && declared > DRAIN_LIMIT) return Promise.resolve(tooLarge(limit, true));

  return new Promise((resolve) => {
    let chunks: Buffer[] | undefined = [];
    let received = 0;
    let ended = false;
    const finish = (outcome: BodyOutcome) => {
      clearTimeout(timer);
      clearTimeout(deadline);
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("error", onGone);
      source.off("close", onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      timer.refresh();
      if (chunks !== undefined) {
        if (received <= limit) {
          chunks.push(chunk);
          return;
        }
        // Over the limit: nothing more is kept; the rest is only counted.
        chunks = undefined;
      }
      if (received - limit > DRAIN_LIMIT) {
        finish(tooLarge(limit, true));
        // Nothing more is read; the connection closes once the 413 is out.
        source.pause();
      }
    };
    const onEnd = () => {
      ended = true;
      if (chunks === undefined) finish(tooLarge(limit, false));
      else finish({ body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received) });
    };
    const onGone = () => finish(null);
    const onClose = () => {
      if (!ended) finish(null);
    };
    const onTimeout = () => {
      const of = length === undefined ? "" : ` of ${length}`;
      finish({
        refused: {
          code: "request_timeout",
          message:
            `The request body stopped arriving: nothing came for ${timeoutMs} ms, after ${received}${of} bytes. ` +
            "Send the whole body without pausing.",
          close: true,
        },
      });
    };
    const onDeadline = () => {
      const of = length === undefined ? "" : ` of ${length}`;
      finish({
        refused: {
          code: "request_timeout",
          message:
            `The request body took too long: it was not whole after ${totalTimeoutMs} ms, with ${received}${of} bytes ` +
            "come. Send the whole body at once.",
          close: true,
        },
      });
    };
    const timer = setTimeout(onTimeout, timeoutMs);
    const deadline = setTimeout(onDeadline, totalTimeoutMs);
    source.on("data", onData);
    source.on("end", onEnd);
    source.on("error", onGone);
    source.on("close", onClose);
  });
}

/** After an answer that did not wait for its body: closes the connection if the rest stops arriving. */
export function watchRest(request: IncomingMessage, timeoutMs: number): void {
  if (request.complete || request.destroyed) return;
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
