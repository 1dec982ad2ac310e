/**
 * This replica's changes sent and not yet answered, by ticket: each is answered when the log reader (or
 * the append itself) applies it here, or told it is lost when a snapshot that already holds it is loaded.
 */
import { unavailable } from "./outage.ts";

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
  /** The change's number and epoch in the log, once Redis has answered the append. */
  n?: number;
  epoch?: string;
}

export class PendingWrites {
  private tickets = 0;
  private readonly pending = new Map<number, Pending>();

  /** A new ticket, and the answer its change will get once applied here. */
  open(): { ticket: number; answer: Promise<unknown> } {
    const ticket = ++this.tickets;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(ticket, { resolve, reject }));
    // The change may come back (and be refused) before the append's reply: handled by the caller, not unhandled.
    answer.catch(() => undefined);
    return { ticket, answer };
  }

  /** Forgets a ticket whose caller stopped waiting. */
  drop(ticket: number): void {
    this.pending.delete(ticket);
  }

  /** Answers the caller of `ticket` (if still waiting) with what applying its change gave. */
  settle(ticket: number, failed: boolean, outcome: unknown): void {
    const waiting = this.pending.get(ticket);
    this.pending.delete(ticket);
    if (failed) waiting?.reject(outcome);
    else waiting?.resolve(outcome);
  }

  /**
   * Notes where Redis numbered the change of `ticket`; when this replica already holds that number (a
   * snapshot holding it was loaded meanwhile), the change was made but its answer is lost.
   */
  numbered(ticket: number, n: number, epoch: string, applied: { n: number; epoch: string }): void {
    const waiting = this.pending.get(ticket);
    if (waiting === undefined) return;
    waiting.n = n;
    waiting.epoch = epoch;
    if (epoch === applied.epoch && n <= applied.n) this.lose(ticket, waiting);
  }

  /**
   * After a snapshot at change `n` of `epoch` was loaded: the numbered changes it holds (or of another
   * history) were made but their answers are lost; those after it are still to come (and those not yet
   * numbered are told when they are, in `numbered`).
   */
  loadedUpTo(n: number, epoch: string): void {
    for (const [ticket, waiting] of this.pending) {
      if (waiting.n === undefined) continue;
      if (waiting.epoch !== epoch || waiting.n <= n) this.lose(ticket, waiting);
    }
  }

  /** Refuses every change still waiting: the mock is stopping. */
  rejectAll(error: unknown): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private lose(ticket: number, waiting: Pending): void {
    this.pending.delete(ticket);
    waiting.reject(unavailable("this replica reloaded the shared state meanwhile; the change may have been made"));
  }
}
