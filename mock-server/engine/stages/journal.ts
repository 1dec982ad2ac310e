/**
 * The journal: every answered request is recorded once its answer is made (request-journal.ts keeps
 * them), except those of the journal's own routes (`GET` and `DELETE /__admin/requests`: reading the
 * journal does not change it; their operations say so, `journaled`). Method, path as sent, status, time
 * and operation; never a header. A public operation's bodies too, for the journal file (journal-file.ts).
 */
import type { Scheduler } from "../../scheduler.ts";
import { type ExchangeBodies, type Journal, journalPath } from "../request-journal.ts";

export type JournalStage = (
  request: { method: string; url: string },
  status: number,
  startedAt: number,
  operationId: string | null,
  exchange?: ExchangeBodies,
) => void;

/** `wallMs`: the mock's date (its clock's), in milliseconds since 1970, for each entry's `at`. */
export function createJournalStage(journal: Journal, scheduler: Scheduler, wallMs: () => number): JournalStage {
  return (request, status, startedAt, operationId, exchange) => {
    const duration = scheduler.now() - startedAt;
    journal.record(
      {
        at: wallMs() - duration,
        method: request.method,
        path: journalPath(request.url),
        status,
        durationMs: Math.round(duration * 1000) / 1000,
        operationId,
      },
      exchange,
    );
  };
}
