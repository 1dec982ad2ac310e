/**
 * A change as it travels in the log, and what the store reads while one is applied: the time and the ids
 * the accepting replica settled (so that every replica stamps and names its records alike).
 */
import type { Change } from "../engine/replication-port.ts";

/** A change as it is appended: with what the accepting replica settled, and who accepted it. */
export interface Entry {
  change: Change;
  /** When it was accepted: the time its records are stamped with on every replica. */
  ts: string;
  /** The id its first new record takes; the others' are derived from it (`newId`). */
  ids: string[];
  /** The accepting replica, and its number for the change: how that replica finds its caller again. */
  origin: string;
  ticket: number;
}

/** The clock and the ids of the store: a change's own while it is applied, else the mock's. */
export class EntryClock {
  /** The change being applied, and how many of its ids were taken. */
  private current: Entry | undefined;
  private idsTaken = 0;

  constructor(
    private readonly baseNow: () => string,
    private readonly baseNewId: () => string,
  ) {}

  /** A new entry for `change`, stamped now by this replica (`origin`) under its `ticket`. */
  stamp(change: Change, origin: string, ticket: number): Entry {
    return { change, ts: this.baseNow(), ids: [this.baseNewId()], origin, ticket };
  }

  /** Runs `apply` with `entry`'s time and ids as the store's. */
  during<T>(entry: Entry, apply: () => T): T {
    this.current = entry;
    this.idsTaken = 0;
    try {
      return apply();
    } finally {
      this.current = undefined;
    }
  }

  /** The accepting replica of the change being applied, if one is. */
  get origin(): string | undefined {
    return this.current?.origin;
  }

  readonly now = (): string => this.current?.ts ?? this.baseNow();

  readonly newId = (): string => {
    const entry = this.current;
    if (entry === undefined) return this.baseNewId();
    const taken = this.idsTaken++;
    const id = entry.ids[taken];
    if (id !== undefined) return id;
    // More ids than were sent: made from the first, so that every replica makes the same.
    return `${(entry.ids[0] as string).slice(0, 24)}${taken.toString(16).padStart(12, "0")}`;
  };
}
