/**
 * The request journal behind `GET /__admin/requests`: the most recent requests the mock answered, in a
 * fixed-size ring buffer (constant memory, O(1) per request). It records the method, path, status, time
 * and operation; never a header, so never an API key or admin token. The engine's pipeline records into
 * it (stages/journal.ts); no framework here, so it runs in a browser too.
 */
import type { components } from "../../generated/admin-types.ts";

export type JournalEntry = components["schemas"]["JournalEntry"];
export type JournalPage = components["schemas"]["Journal"];

/** A URL longer than this is cut, so one odd request cannot make the journal large. */
const MAX_PATH = 2048;

/** The path and query as the journal keeps them: cut at `MAX_PATH` characters, marked by an ellipsis. */
export function journalPath(url: string): string {
  return url.length > MAX_PATH ? `${url.slice(0, MAX_PATH)}…` : url;
}

/**
 * An entry as kept: its time as a number, written out as text only when the journal is read (formatting
 * a date on every request was the journal's main cost, by the CPU profile).
 */
export type KeptEntry = Omit<JournalEntry, "time"> & { at: number };

export class Journal {
  private readonly ring: (KeptEntry | undefined)[];
  /** Where the next entry goes. */
  private next = 0;
  private count = 0;
  private dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("journal capacity must be at least 1");
    this.ring = new Array(capacity);
  }

  record(entry: KeptEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    else this.dropped++;
  }

  /** The entries kept, oldest first, with how many were dropped since the last clear. */
  list(): JournalPage {
    const data: JournalEntry[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(start + i) % this.capacity];
      if (!entry) continue;
      const { at, method, path, status, durationMs, operationId } = entry;
      data.push({ time: new Date(at).toISOString(), method, path, status, durationMs, operationId });
    }
    return { data, capacity: this.capacity, dropped: this.dropped };
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.dropped = 0;
  }
}
