/**
 * What a run created on a target and could not delete. The workers (`support/target.ts`, after each test)
 * write each one as a JSON line to the file named by `CONTRACT_LEFTOVERS_FILE` (internal: `runContract`
 * sets it), and the runner reads them back into its result, so the summary lists them with their ids.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";

/** Something the run created and could not delete. */
export interface Leftover {
  kind: string;
  id: string;
  /** Why the delete failed: the status it answered, or the error. */
  why: string;
}

/** The variable naming the file of leftovers (internal: set by `runContract`, read by the workers). */
export const LEFTOVERS_VARIABLE = "CONTRACT_LEFTOVERS_FILE";

export function recordLeftover(leftover: Leftover, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[LEFTOVERS_VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify(leftover)}\n`);
}

/** The leftovers the workers recorded, once each; the file is removed. */
export function readLeftovers(file: string): Leftover[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  rmSync(file, { force: true });
  const seen = new Map<string, Leftover>();
  for (const line of lines) {
    const leftover = JSON.parse(line) as Leftover;
    seen.set(`${leftover.kind} ${leftover.id}`, leftover);
  }
  return [...seen.values()];
}

export function formatLeftovers(leftovers: readonly Leftover[]): string {
  return [
    `Left on the target (the run could not delete ${leftovers.length === 1 ? "it" : "them"}; delete by hand):`,
    ...leftovers.map((l) => `  ${l.kind} ${l.id}: ${l.why}`),
  ].join("\n");
}
