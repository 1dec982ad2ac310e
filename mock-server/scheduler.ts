/**
 * Time, as everything in the mock that waits sees it: the debounced state-file writes, webhook deliveries
 * (their start, timeouts and retries), the rate limit's windows, `Prefer: delay` and `--latency`. It comes
 * in from outside (`buildMockServer({ scheduler })`), so a test moves time by hand and checks what was
 * asked to wait, instead of sleeping and hoping the machine was fast enough.
 *
 * Nothing here is Node's own: timers and `performance.now()` are in every JavaScript runtime, so the same
 * engine can later run in a browser.
 */

/** A timer as `setTimeout` returned it; it only ever goes back to the same scheduler's `clearTimeout`. */
export type TimerHandle = unknown;

export interface Scheduler {
  /** Milliseconds since some fixed point. Only differences are used: windows, waits, durations. */
  now(): number;
  /**
   * Calls `fn` once, `ms` milliseconds from now. What it returns is ignored, except by the mock's clock
   * (clock.ts), whose `advance` awaits a promise before the next timer falls due.
   */
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  /** Cancels a timer that has not fired; one that has fired, or `undefined`, is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/**
 * The runtime's timers and monotonic clock. They are looked up at each call, not kept, so a test that
 * swaps the globals (vitest's fake timers) reaches them through this scheduler too.
 */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout> | undefined),
};

interface Timer {
  at: number;
  fn: () => unknown;
}

/**
 * A scheduler whose time moves only when told: `advance(ms)` runs, in order, every timer that falls due,
 * those that the timers themselves set included. For tests, and for anyone driving the mock in process.
 */
export class ManualScheduler implements Scheduler {
  private time: number;
  private lastId = 0;
  private readonly timers = new Map<number, Timer>();
  private readonly watchers: ((ms: number) => void)[] = [];
  /** Every delay asked for, in the order asked: what a test checks instead of measuring time. */
  readonly requested: number[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => unknown, ms: number): TimerHandle {
    const id = ++this.lastId;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    this.requested.push(ms);
    for (const watcher of this.watchers.splice(0)) watcher(ms);
    return id;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (typeof handle === "number") this.timers.delete(handle);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, running each timer that falls due on the way, soonest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.soonest(); next && next[1].at <= end; next = this.soonest()) {
      const [id, timer] = next;
      this.timers.delete(id);
      this.time = timer.at;
      timer.fn();
    }
    this.time = end;
  }

  /** Moves time to the soonest timer and runs it (with any due at the same moment); false when none is set. */
  next(): boolean {
    const next = this.soonest();
    if (!next) return false;
    this.advance(next[1].at - this.time);
    return true;
  }

  /** Resolves with the delay of the next timer set from now on. */
  nextTimer(): Promise<number> {
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  /** The timer due first; of two due at once, the one set first. */
  private soonest(): [number, Timer] | undefined {
    let found: [number, Timer] | undefined;
    for (const entry of this.timers) if (!found || entry[1].at < found[1].at) found = entry;
    return found;
  }
}
