/**
 * `--journal-out FILE`: the journal file (engine/journal-file.ts, as `GET /__admin/journal` answers it)
 * written when the mock stops, for `converseiq-contract --replay FILE`. Its folder is checked at the start,
 * so that a typo fails then and not after a whole test run; the file is written whole or not at all
 * (a temporary file renamed over it).
 */
import { existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { MockServer } from "../app.ts";
import { acceptedKeys, journalFile } from "../engine/journal-file.ts";

/**
 * Why FILE cannot be written, or undefined when its folder is there; `given` names what the user wrote
 * (the flag, or `startMock`'s option), so the message points at it.
 */
export function journalOutProblem(file: string, given = "--journal-out"): string | undefined {
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return `${given} ${file}: the folder ${folder} does not exist.`;
  }
  return undefined;
}

/** Writes the journal file; returns how many requests it holds. */
export function writeJournalOut(app: Pick<MockServer, "engine">, file: string): number {
  const document = journalFile(app.engine.journal, acceptedKeys(app.engine));
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(temporary, file);
  return document.entries.length;
}
