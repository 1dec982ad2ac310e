/**
 * Redis out of reach, as the mock tells it: the 503 a write is refused with, the error that stops a start,
 * and the one line per outage (and one when it is over) on the mock's notices.
 */

import { STALE_HEADER } from "../engine/replication-port.ts";
import { HttpError } from "../http-error.ts";
import { printable } from "./redis-options.ts";

/** What `Retry-After` says to a write refused while Redis is out of reach, in seconds. */
const RETRY_AFTER_S = 1;

/** The 503 of a change (or wait) that Redis being out of reach, or the mock stopping, cut short. */
export const unavailable = (why: string) =>
  new HttpError("service_unavailable", `The mock's shared state (Redis) is out of reach: ${why}. Retry shortly.`, [], {
    "retry-after": String(RETRY_AFTER_S),
  });

/** Thrown by `start` when Redis cannot be reached: the mock does not start. */
export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}

/** Tells each outage once, with what the connection failed with, and tells when Redis is back. */
export class OutageNotices {
  /** What the connection last failed with, until it is ready again: each outage is told once. */
  problem: string | undefined;

  constructor(
    private readonly url: string,
    private readonly notice: (line: string) => void,
  ) {}

  outOfReach(error: Error): void {
    const message = error.message.replace(/\.$/, "");
    if (message === this.problem) return;
    this.problem = message;
    this.notice(
      `Redis at ${printable(this.url)}: ${message}. Reconnecting; meanwhile reads are answered from memory (flagged ${STALE_HEADER}) and writes 503.`,
    );
  }

  back(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    this.notice(`Redis at ${printable(this.url)} is back.`);
  }
}

/** `promise`, or the error `timedOut` makes when it has not settled in `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
