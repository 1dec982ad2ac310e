/**
 * The journal: every answered request is recorded once its answer is made (http/journal.ts keeps them),
 * except those of the journal's own routes (`GET` and `DELETE /__admin/requests`: reading the journal does
 * not change it). Method, path as sent, status, time and operation; never a header.
 */
import { Journal, journalPath } from "../../http/journal.ts";
import { ADMIN_PREFIX } from "../../mock-options.ts";
import type { Scheduler } from "../../scheduler.ts";

export { Journal };

const JOURNAL_PATH = `${ADMIN_PREFIX}/requests`;

/** True for a request to the journal's own routes, which it leaves out. */
export function readsJournal(method: string, path: string): boolean {
  if (method !== "GET" && method !== "DELETE") return false;
  return path === JOURNAL_PATH || path === `${JOURNAL_PATH}/`;
}

export type JournalStage = (
  request: { method: string; url: string },
  status: number,
  startedAt: number,
  operationId: string | null,
) => void;

export function createJournalStage(journal: Journal, scheduler: Scheduler): JournalStage {
  return (request, status, startedAt, operationId) => {
    const duration = scheduler.now() - startedAt;
    journal.record({
      at: Date.now() - duration,
      method: request.method,
      path: journalPath(request.url),
      status,
      durationMs: Math.round(duration * 1000) / 1000,
      operationId,
    });
  };
}
