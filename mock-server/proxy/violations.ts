/**
 * The proxy's journal: every exchange it forwarded (operation, status) and every violation found in one,
 * kept in memory for GET /__admin/violations and the report, each violation also told in one log line.
 * Nothing of a header is kept, so the key cannot be; the caller's key is masked in any line that holds it.
 */
import { createRedactor } from "../../client/redact.ts";
import type { Finding } from "./check.ts";

export interface Violation extends Finding {
  /** When the answer came (ISO 8601). */
  at: string;
  /** The operation the request matched; undefined when none. */
  operationId: string | undefined;
  method: string;
  path: string;
  /** The upstream's status. */
  status: number;
}

export interface Seen {
  operationId: string | undefined;
  method: string;
  path: string;
  status: number;
}

export interface Journal {
  /** Keeps an exchange and its violations; logs one line per violation. */
  add(seen: Seen, findings: Finding[], secrets: (string | undefined)[]): Violation[];
  violations(): Violation[];
  exchanges(): Seen[];
}

export function createJournal(log: ((line: string) => void) | undefined, now: () => Date = () => new Date()): Journal {
  const violations: Violation[] = [];
  const exchanges: Seen[] = [];
  return {
    add(seen, findings, secrets) {
      exchanges.push(seen);
      const at = now().toISOString();
      const added = findings.map((finding) => ({ at, ...seen, ...finding }));
      violations.push(...added);
      if (log) {
        const redactors = secrets.filter((s): s is string => s !== undefined && s !== "").map(createRedactor);
        for (const v of added) {
          const line = `violation ${v.operationId ?? "(no operation)"} ${v.method} ${v.path} ${v.status} ${v.side} ${v.rule}: ${v.message}`;
          log(redactors.reduce((text, r) => r.redact(text), line));
        }
      }
      return added;
    },
    violations: () => [...violations],
    exchanges: () => [...exchanges],
  };
}
