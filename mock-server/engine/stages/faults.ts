/**
 * Injected faults (`--error-rate`): with that probability, a public request answers one of the failures its
 * operation documents that are the server's doing (429 with `Retry-After`, 500, 503; behaviour/faults.ts),
 * before its handler runs, so it changes nothing. The draws come from the engine's random source, so a
 * seed replays the same faults.
 */
import type { CannedTable } from "../../behaviour/canned-responses.ts";
import { faultsFor, pickFault } from "../../behaviour/faults.ts";

/** Throws the fault drawn, if any. */
export type FaultStage = () => void;

export function createFaultStage(table: CannedTable, rate: number, random: () => number): FaultStage | undefined {
  const faults = faultsFor(table);
  if (!(rate > 0) || faults.length === 0) return undefined;
  return () => {
    const fault = pickFault(faults, rate, random);
    if (fault) throw fault;
  };
}
