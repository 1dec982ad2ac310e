/**
 * `Prefer` (as Prism reads it): `code=404` and `example=NAME` answer the operation's documented response
 * instead of running the handler, once the request has passed validation; `delay=MS` waits (on the
 * engine's scheduler) before going on. A preference that cannot be honoured is a 400 that says what to
 * send (behaviour/prefer.ts). Read after auth, rate limit and faults; a request without the header pays
 * for one lookup.
 */
import type { CannedTable } from "../../behaviour/canned-responses.ts";
import { type CannedAnswer, planPrefer } from "../../behaviour/prefer.ts";
import { parsePrefer } from "../../behaviour/prefer-header.ts";
import type { Scheduler } from "../../scheduler.ts";
import type { EngineResponse } from "../types.ts";

/**
 * The documented answer asked for, or undefined to run the handler; a promise when a delay was asked for
 * (it settles once the delay has passed). Throws the 400 of a preference it cannot honour.
 */
export type PreferStage = (header: string | undefined) => CannedAnswer | undefined | Promise<CannedAnswer | undefined>;

export function createPreferStage(table: CannedTable, scheduler: Scheduler): PreferStage {
  return (header) => {
    if (header === undefined) return undefined;
    const plan = planPrefer(table, parsePrefer(header));
    if (plan.delayMs <= 0) return plan.answer;
    return new Promise((resolve) => scheduler.setTimeout(() => resolve(plan.answer), plan.delayMs));
  };
}

/** A documented answer, after the CORS headers: its own headers, then the content type when it has a body. */
export function cannedResponse(answer: CannedAnswer, headers: Record<string, string>): EngineResponse {
  Object.assign(headers, answer.headers);
  if (answer.body === undefined) return { status: answer.status, headers };
  headers["content-type"] = "application/json; charset=utf-8";
  return { status: answer.status, headers, body: answer.body };
}
