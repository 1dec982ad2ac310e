/**
 * The journal as a file to replay (`GET /__admin/journal`, `--journal-out`, `journal()`): the public API's
 * entries with their bodies parsed back to JSON, paths from the API's base URL, and every accepted API key
 * found in a path or a body replaced, so that a file a consumer commits or uploads never carries one (no
 * header is kept at all). No Node API: it runs in a browser too.
 */
import type { components } from "../../generated/admin-types.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import type { Journal, KeptEntry } from "./request-journal.ts";
import type { Workspaces } from "./workspaces.ts";

export type JournalFile = components["schemas"]["JournalFile"];
export type JournalFileEntry = components["schemas"]["JournalFileEntry"];

export const REDACTED = "[redacted]";

/**
 * A key shorter than this is replaced only where it is a whole string: replacing a short key inside
 * other text ("test" in "testing") would garble the data the file is for.
 */
const SHORTEST_KEY_REPLACED_INSIDE = 8;

/** Every key the mock accepts now: its own and its workspaces'. */
export function acceptedKeys(mock: { options: { apiKeys: readonly string[] }; workspaces?: Workspaces }): string[] {
  return [...mock.options.apiKeys, ...[...(mock.workspaces?.values() ?? [])].map((workspace) => workspace.apiKey)];
}

export function journalFile(journal: Journal, apiKeys: Iterable<string>): JournalFile {
  const redact = redactor([...apiKeys]);
  const entries: JournalFileEntry[] = [];
  for (const entry of journal.entries()) {
    const made = fileEntry(entry, redact);
    if (made) entries.push(made);
  }
  return { version: 1, dropped: journal.droppedCount, entries };
}

function fileEntry(entry: KeptEntry, redact: (text: string) => string): JournalFileEntry | undefined {
  const { operationId, exchange } = entry;
  if (operationId === null || exchange === undefined) return undefined;
  const path = entry.path.startsWith(PUBLIC_PREFIX) ? entry.path.slice(PUBLIC_PREFIX.length) : entry.path;
  const requestBody = parsed(exchange.requestBody, redact);
  const responseBody = parsed(exchange.responseBody, redact);
  return {
    operationId,
    method: entry.method,
    path: redact(path),
    ...(requestBody !== undefined ? { requestBody: requestBody.value } : {}),
    status: entry.status,
    ...(responseBody !== undefined ? { responseBody: responseBody.value } : {}),
    bodiesOmitted: exchange.bodiesOmitted,
    simulated: exchange.simulated,
  };
}

/** A body's JSON with each string redacted; undefined for none, or for text that is not JSON (never kept as such). */
function parsed(text: string | undefined, redact: (text: string) => string): { value: unknown } | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return { value: redactValue(JSON.parse(text), redact) };
  } catch {
    return undefined;
  }
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = redactValue(item, redact);
    return out;
  }
  return value;
}

function redactor(keys: string[]): (text: string) => string {
  const usable = keys.filter((key) => key.length > 0);
  const inside = usable.filter((key) => key.length >= SHORTEST_KEY_REPLACED_INSIDE);
  return (text) => {
    if (usable.includes(text)) return REDACTED;
    let out = text;
    for (const key of inside) if (out.includes(key)) out = out.split(key).join(REDACTED);
    return out;
  };
}
