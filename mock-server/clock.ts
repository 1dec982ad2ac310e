/**
 * The mock's clock: the one source of time for everything the mock stamps or waits for. New records'
 * `created_at`/`updated_at`, the webhook events' `ts`, the journal's `at`, the rate limit's windows (and
 * so `Retry-After`), `--latency`, `Prefer: delay` and webhook deliveries with their retries all read it.
 * It is a `Scheduler` (scheduler.ts), so everything that waits takes it as it took the runtime's timers.
 *
 * It runs in real time until a test moves it:
 * - `set(date)` jumps to `date` and **freezes** there: time stands still until `advance` moves it, so a test
 *   that stamps two records gets the same time twice, and the time it asserts on is the time it set.
 * - `advance(ms)` moves time on by `ms`, running each timer that falls due on the way, soonest first. A
 *   timer whose callback returns a promise (a webhook's POST) is awaited before the next one falls due, so
 *   one `advance` runs through a webhook's retries. A frozen clock stays frozen; a real one moves on from
 *   its new time in real time.
 * - `real()` goes back to the runtime's time, and its timers to real waits.
 *
 * `advance` awaits what a timer's callback returns: a webhook receiver that never answers holds it until
 * the POST's timeout, which is on this clock too, so give a test's receivers an answer.
 *
 * While frozen, a wait of 0 (a webhook's first POST) still runs, on the next turn of the event loop; a
 * longer one ends when `advance` reaches it. Waits are measured on their own line of time (`now()`), which
 * `set` leaves alone: jumping the date a year back does not make a pending retry wait a year.
 *
 * No Node API: `performance.now()`, `Date` and the global timers are in every runtime, so it runs in a
 * browser too.
 */
import type { Scheduler, TimerHandle } from "./scheduler.ts";

/** Where the clock stands, as `GET /__admin/clock` answers it. */
export interface ClockState {
  /** The clock's time, ISO 8601 with milliseconds. */
  now: string;
  /** True after `set` (time stands still until `advance`), false in real time. */
  frozen: boolean;
}

/** A date as `set` takes it: a `Date`, ISO text, or milliseconds since 1970. */
export type ClockInput = Date | string | number;

interface Timer {
  at: number;
  fn: () => unknown;
}

export class Clock implements Scheduler {
  /** Set while frozen: the date (ms since 1970) and the line of waits where time stands. */
  private frozen: { wall: number; elapsed: number } | undefined;
  /** In real time, how far the date is ahead of the runtime's (`advance` moves it). */
  private wallAhead = 0;
  /** In real time, how far the line of waits is ahead of `performance.now()` (it never goes back). */
  private elapsedAhead = 0;
  private lastId = 0;
  private readonly timers = new Map<number, Timer>();
  /** The one runtime timer armed for the soonest of `timers`. */
  private armed: ReturnType<typeof globalThis.setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();

  /** A clock frozen at `start`, or in real time when it is left out. */
  constructor(start?: ClockInput) {
    if (start !== undefined) this.set(start);
  }

  /** Milliseconds on the line of waits (the `Scheduler`'s clock): only differences mean anything. */
  now(): number {
    return this.frozen ? this.frozen.elapsed : performance.now() + this.elapsedAhead;
  }

  /** The clock's date, in milliseconds since 1970. */
  epochMs(): number {
    return this.frozen ? this.frozen.wall : Date.now() + this.wallAhead;
  }

  /** The clock's date as ISO text: what new records and events are stamped with. */
  readonly iso = (): string => new Date(this.epochMs()).toISOString();

  state(): ClockState {
    return { now: this.iso(), frozen: this.frozen !== undefined };
  }

  /** Jumps to `date` and stands still there until `advance`; pending waits keep what is left of them. */
  set(date: ClockInput): ClockState {
    const wall = typeof date === "string" ? Date.parse(date) : date instanceof Date ? date.getTime() : date;
    if (!Number.isFinite(wall)) throw new RangeError(`clock.set: not a date: ${String(date)}`);
    this.frozen = { wall, elapsed: this.now() };
    this.arm();
    return this.state();
  }

  /**
   * Moves time on by `ms` (a whole number ≥ 0), running the timers that fall due, soonest first, each
   * awaited. Resolves with where the clock stands once they have run.
   */
  advance(ms: number): Promise<ClockState> {
    if (!Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new RangeError(`clock.advance: ms must be a number ≥ 0; got ${String(ms)}`));
    }
    // One advance at a time: a second waits for the first, so time only moves forward.
    const run = this.running.then(() => this.step(ms));
    this.running = run.catch(() => undefined);
    return run.then(() => this.state());
  }

  /** Back to the runtime's time; waits left become real waits of what is left of them. */
  real(): ClockState {
    // The date is the runtime's again; the line of waits goes on from where it stood, at the runtime's pace.
    if (this.frozen) this.elapsedAhead = this.frozen.elapsed - performance.now();
    this.frozen = undefined;
    this.wallAhead = 0;
    this.arm();
    return this.state();
  }

  setTimeout(fn: () => unknown, ms: number): TimerHandle {
    const id = ++this.lastId;
    this.timers.set(id, { at: this.now() + Math.max(0, ms), fn });
    this.arm();
    return id;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (typeof handle === "number" && this.timers.delete(handle)) this.arm();
  }

  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  private async step(ms: number): Promise<void> {
    const start = this.now();
    const end = start + ms;
    for (let next = this.soonest(); next && next[1].at <= end; next = this.soonest()) {
      const [id, timer] = next;
      this.timers.delete(id);
      this.moveTo(timer.at);
      await settle(timer.fn);
    }
    this.moveTo(Math.max(end, this.now()));
    this.arm();
  }

  /** Moves the line of waits (and the date with it) to `elapsed`, never back. */
  private moveTo(elapsed: number): void {
    const by = elapsed - this.now();
    if (by <= 0) return;
    if (this.frozen) this.frozen = { wall: this.frozen.wall + by, elapsed };
    else {
      this.wallAhead += by;
      this.elapsedAhead += by;
    }
  }

  /**
   * One runtime timer for the soonest wait: in real time, when it falls due; frozen, on the next turn if it
   * is already due (a wait of 0), else none (`advance` will reach it).
   */
  private arm(): void {
    if (this.armed !== undefined) globalThis.clearTimeout(this.armed);
    this.armed = undefined;
    const next = this.soonest();
    if (!next) return;
    const wait = next[1].at - this.now();
    if (this.frozen && wait > 0) return;
    this.armed = globalThis.setTimeout(
      () => {
        this.armed = undefined;
        this.runDue();
      },
      Math.max(0, wait),
    );
  }

  /**
   * Runs the timers due now, in order. Not awaited, unlike `advance`'s: what a timer started (a POST) goes
   * on beside the others, as with the runtime's timers.
   */
  private runDue(): void {
    for (let next = this.soonest(); next && next[1].at <= this.now(); next = this.soonest()) {
      this.timers.delete(next[0]);
      void settle(next[1].fn);
    }
    this.arm();
  }

  /** The timer due first; of two due at once, the one set first. */
  private soonest(): [number, Timer] | undefined {
    let found: [number, Timer] | undefined;
    for (const entry of this.timers) if (!found || entry[1].at < found[1].at) found = entry;
    return found;
  }
}

/** Runs a timer's callback and waits for what it returns; its failure is its owner's to report. */
async function settle(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // The clock goes on with the other timers.
  }
}
