/**
 * A replay's requests as the contract run's check records (report/checks.ts), so that `--junit`, `--json`
 * and `--reporter github` of the replay are the run's own reports (report/write.ts), not a second writer:
 * one check per replayed request, in the suite `replay`, named by the operation's method and path in the
 * spec and by the request as sent (`GET /contact/{contactId} › GET /contact/3f2a…`, or `GET /workspace`).
 */
import { listOperations } from "../../lib/spec.ts";
import type { ReplayedRequest } from "./replay.ts";
import type { CheckRecord, CheckStatus } from "./report/checks.ts";

export const REPLAY_SUITE = "replay";

const templates = new Map(listOperations().map((op) => [op.id as string, `${op.method.toUpperCase()} ${op.path}`]));

const STATUS: Record<ReplayedRequest["outcome"], CheckStatus> = {
  passed: "pass",
  failed: "fail",
  "not sent": "not run",
  "not checked": "not run",
};

export function replayCheck(request: ReplayedRequest): CheckRecord {
  const sent = `${request.method} ${request.path}`;
  // An operation the spec does not have (the replay does not send it) is named by its path without the query.
  const operation = templates.get(request.operationId) ?? sent.split("?")[0] ?? sent;
  const record: CheckRecord = {
    // Said once when the request is the spec's path itself (`GET /workspace`).
    name: operation === sent ? sent : `${operation} › ${sent}`,
    suite: REPLAY_SUITE,
    operations: [request.operationId],
    rule: sent,
    status: STATUS[request.outcome],
  };
  if (request.outcome === "failed") record.error = request.reasons.join("\n") || "failed";
  // The outcome stays in the reason: "not sent" and "not checked" say different things to do.
  else if (record.status === "not run") record.reason = `${request.outcome}: ${request.reasons.join("; ")}`;
  return record;
}

export function replayChecks(requests: readonly ReplayedRequest[]): CheckRecord[] {
  return requests.map(replayCheck);
}
