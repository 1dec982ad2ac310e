/**
 * Reads (and a start) waiting until this replica has applied the log up to some change, one wait per
 * number shared by all who wait for it, each given up after a bound.
 */

export class AppliedWaits {
  /** Waits by the number of changes they wait for. */
  private readonly waiting = new Map<number, { promise: Promise<boolean>; resolve(done: boolean): void }>();

  /** `applied` says how far this replica has applied the log; `waitMs` is the longest a wait lasts. */
  constructor(
    private readonly applied: () => number,
    private readonly waitMs: number,
  ) {}

  /** Resolves to true once change `n` is applied here, false after the bound. */
  until(n: number): Promise<boolean> {
    if (n <= this.applied()) return Promise.resolve(true);
    let waiter = this.waiting.get(n);
    if (waiter === undefined) {
      let resolve!: (done: boolean) => void;
      const promise = new Promise<boolean>((r) => {
        resolve = r;
      });
      const timer = setTimeout(() => finish(false), this.waitMs);
      const finish = (done: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(n);
        resolve(done);
      };
      waiter = { promise, resolve: finish };
      this.waiting.set(n, waiter);
    }
    return waiter.promise;
  }

  /** Ends the waits for the changes applied by now. */
  wake(): void {
    const applied = this.applied();
    for (const [n, waiter] of this.waiting) if (n <= applied) waiter.resolve(true);
  }

  /** Ends every wait, unmet: the mock is stopping. */
  giveUp(): void {
    for (const waiter of this.waiting.values()) waiter.resolve(false);
  }
}
