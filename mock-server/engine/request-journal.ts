/**
 * The request journal behind `GET /__admin/requests` and `GET /__admin/journal`: the most recent requests
 * the mock answered, in a fixed-size ring buffer (constant memory, O(1) per request). It records the
 * method, path, status, time and operation, and for the public API the bodies of the request and of its
 * answer (journal-file.ts writes them out as a file to replay). Never a header, so never an API key or
 * admin token from one. The engine's pipeline records into it (stages/journal.ts); no framework here, so
 * it runs in a browser too.
 */
import type { components } from "../../generated/admin-types.ts";

export type JournalEntry = components["schemas"]["JournalEntry"];
export type JournalPage = components["schemas"]["Journal"];

/** A URL longer than this is cut, so one odd request cannot make the journal large. */
const MAX_PATH = 2048;

/** A body longer than this (in UTF-16 units, as JavaScript counts) is not kept: the entry says its bodies were omitted. */
export const MAX_KEPT_BODY = 64 * 1024;
/** The bodies kept, all entries together, are at most this long; past it an entry's bodies are omitted. */
export const MAX_KEPT_BODIES = 16 * 1024 * 1024;

/** The path and query as the journal keeps them: cut at `MAX_PATH` characters, marked by an ellipsis. */
export function journalPath(url: string): string {
  return url.length > MAX_PATH ? `${url.slice(0, MAX_PATH)}…` : url;
}

/** What a public request and its answer carried, as the journal keeps it for the file. */
export interface KeptExchange {
  /** The request's body as text; undefined when it had none or it was omitted. */
  requestBody?: string;
  /** The answer's body as text; undefined when it had none or it was omitted. */
  responseBody?: string;
  /** A body was too long to keep (or the journal's share for bodies was used up). */
  bodiesOmitted: boolean;
  /** The answer was the mock's own choice (a `Prefer` status, a fault, the rate limit), not the API's rules. */
  simulated: boolean;
}

/**
 * An entry as kept: its time as a number, written out as text only when the journal is read (formatting
 * a date on every request was the journal's main cost, by the CPU profile).
 */
export type KeptEntry = Omit<JournalEntry, "time"> & { at: number; exchange?: KeptExchange };

/** The bodies of a public exchange as handed in: as sent and as answered, bytes or text. */
export interface ExchangeBodies {
  request: Uint8Array | string | undefined;
  response: Uint8Array | string | undefined;
  simulated: boolean;
}

const decoder = new TextDecoder();
const asText = (body: Uint8Array | string | undefined) =>
  body === undefined || typeof body === "string" ? body : body.byteLength > MAX_KEPT_BODY ? body : decoder.decode(body);

export class Journal {
  private readonly ring: (KeptEntry | undefined)[];
  /** Where the next entry goes. */
  private next = 0;
  private count = 0;
  private dropped = 0;
  /** The length of the bodies kept in the ring now. */
  private bodyLength = 0;

  constructor(
    readonly capacity: number,
    private readonly bodyBudget = MAX_KEPT_BODIES,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("journal capacity must be at least 1");
    this.ring = new Array(capacity);
  }

  record(entry: KeptEntry, bodies?: ExchangeBodies): void {
    const old = this.ring[this.next];
    if (old?.exchange) this.bodyLength -= lengthOf(old.exchange);
    if (bodies) entry.exchange = this.keep(bodies);
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    else this.dropped++;
  }

  /** The bodies, kept when each fits and the journal's share for bodies has room. */
  private keep(bodies: ExchangeBodies): KeptExchange {
    // No budget: no body is kept, nor decoded (a server that keeps none answers faster; mock-options.ts).
    if (this.bodyBudget === 0) return { bodiesOmitted: true, simulated: bodies.simulated };
    const request = asText(bodies.request);
    const response = asText(bodies.response);
    const length = (request?.length ?? 0) + (response?.length ?? 0);
    const fits =
      typeof request !== "object" &&
      typeof response !== "object" &&
      (request?.length ?? 0) <= MAX_KEPT_BODY &&
      (response?.length ?? 0) <= MAX_KEPT_BODY &&
      this.bodyLength + length <= this.bodyBudget;
    if (!fits) return { bodiesOmitted: true, simulated: bodies.simulated };
    this.bodyLength += length;
    return {
      ...(request !== undefined ? { requestBody: request as string } : {}),
      ...(response !== undefined ? { responseBody: response as string } : {}),
      bodiesOmitted: false,
      simulated: bodies.simulated,
    };
  }

  /** The entries kept, oldest first, as kept (with their bodies). */
  entries(): KeptEntry[] {
    const kept: KeptEntry[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(start + i) % this.capacity];
      if (entry) kept.push(entry);
    }
    return kept;
  }

  /** How many entries were dropped since the last clear. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** The entries kept, oldest first, with how many were dropped since the last clear. */
  list(): JournalPage {
    const data: JournalEntry[] = this.entries().map(({ at, method, path, status, durationMs, operationId }) => ({
      time: new Date(at).toISOString(),
      method,
      path,
      status,
      durationMs,
      operationId,
    }));
    return { data, capacity: this.capacity, dropped: this.dropped };
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.dropped = 0;
    this.bodyLength = 0;
  }
}

function lengthOf(exchange: KeptExchange): number {
  return (exchange.requestBody?.length ?? 0) + (exchange.responseBody?.length ?? 0);
}
