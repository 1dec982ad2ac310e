/**
 * Injected faults (`--error-rate`): the documented failures an operation can answer that are the server's
 * doing, not the client's: 429 `rate_limited` (with `Retry-After`) and, through the `default` response,
 * 500 `internal_error` and 503 `service_unavailable`. A faulted request answers before its handler runs,
 * so it changes nothing. Each fault's status is its code's (`STATUS_BY_CODE`, from the spec).
 */
import { STATUS_BY_CODE } from "../../generated/rules.ts";
import { HttpError } from "../http-error.ts";
import type { ErrorCode } from "../store/types.ts";
import type { CannedTable } from "./canned-responses.ts";

const FAULTS: { code: ErrorCode; message: string; headers: Record<string, string> }[] = [
  {
    code: "rate_limited",
    message: "Too many requests (a fault injected by --error-rate); retry after 1 second.",
    headers: { "retry-after": "1" },
  },
  {
    code: "internal_error",
    message: "Something went wrong on the server (a fault injected by --error-rate); try again.",
    headers: {},
  },
  {
    code: "service_unavailable",
    message: "The service is unavailable (a fault injected by --error-rate); try again later.",
    headers: {},
  },
];

/** The faults the operation documents, as errors ready to throw. */
export function faultsFor(table: CannedTable): HttpError[] {
  return FAULTS.filter((f) => table.statuses.get(STATUS_BY_CODE[f.code])?.hasBody).map(
    (f) => new HttpError(f.code, f.message, [], f.headers),
  );
}

/** With probability `rate`, one of `faults` (each as likely); else undefined. */
export function pickFault(faults: HttpError[], rate: number, random: () => number): HttpError | undefined {
  if (faults.length === 0 || !(random() < rate)) return undefined;
  return faults[Math.min(faults.length - 1, Math.floor(random() * faults.length))];
}
