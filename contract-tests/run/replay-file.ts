/**
 * Reads a journal file for `--replay` (the admin spec's `JournalFile`, as `converseiq-mock --journal-out`,
 * `GET /__admin/journal` and `mock.journal()` give it) and checks it against that schema, so that a bad file
 * is one line saying what is wrong with it, before any request is sent.
 */
import { readFile } from "node:fs/promises";
import type { components } from "../../generated/admin-types.ts";
import { createAjv, refInto } from "../../lib/ajv.ts";
import { adminSpec } from "../../lib/spec.ts";

export type JournalFile = components["schemas"]["JournalFile"];
export type JournalFileEntry = components["schemas"]["JournalFileEntry"];

/** The file cannot be replayed: the message says why, in one line. */
export class JournalFileError extends Error {
  override name = "JournalFileError";
}

const ADMIN = "admin-openapi.json";
let validate: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

/** The document checked against `JournalFile`, or a `JournalFileError` naming `source` and the first problem. */
export function checkJournalFile(value: unknown, source: string): JournalFile {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version !== 1) {
    throw new JournalFileError(`${source} is a journal file of version ${version}; this version reads version 1.`);
  }
  validate ??= createAjv([{ id: ADMIN, doc: adminSpec }]).compile(
    refInto(ADMIN, { $ref: "#/components/schemas/JournalFile" }),
  );
  if (!validate(value)) {
    const [first] = validate.errors ?? [];
    const where = first?.instancePath || "(the whole file)";
    throw new JournalFileError(
      `${source} is not a journal file: ${where} ${first?.message ?? "is invalid"} (save one with converseiq-mock --journal-out, GET /__admin/journal or mock.journal()).`,
    );
  }
  return value as JournalFile;
}

export async function readJournalFile(file: string): Promise<JournalFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new JournalFileError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JournalFileError(`${file} is not JSON: ${(error as Error).message}.`);
  }
  return checkJournalFile(value, file);
}
