/**
 * Serialization: a handler's result as the answer's text. A read (GET) is answered from the records'
 * kept texts; a write's answer is a new record, written once with `JSON.stringify`. A result of
 * `undefined` (a DELETE) is 200 with no body. The content type is `application/json` with no charset
 * (JSON is UTF-8 by definition), where errors say `; charset=utf-8` (error-response.ts): the two differ
 * only so that answers stay byte for byte what clients already get.
 *
 * Why texts are kept: a page of 20 contacts took about 20 µs of `JSON.stringify` per request (a third of
 * the mock's time on a list, by the profile); a record's text is now made once and a page is its records'
 * texts joined.
 *
 * The output is byte for byte `JSON.stringify(value)`. Keeping a record's text is right because the store
 * never changes a record in place: a change replaces it with a new object (contacts.ts, chats.ts, ...), and
 * a new object has no text kept. Texts are held by their objects (a WeakMap), so a record gone from the
 * state takes its text with it; and at most `GENERATION` texts are kept at once (then the keeping starts
 * afresh), so serving every record of a million-contact state does not double its memory.
 */
import type { EngineResponse } from "../types.ts";

/** The answer of a handler's result, after the CORS headers. */
export function resultResponse(result: unknown, read: boolean, headers: Record<string, string>): EngineResponse {
  if (result === undefined) return { status: 200, headers };
  headers["content-type"] = "application/json";
  return { status: 200, headers, body: read ? serialize(result) : JSON.stringify(result) };
}

/** How many records' texts are kept before the keeping starts afresh. */
const GENERATION = 100_000;

let texts = new WeakMap<object, string>();
let kept = 0;

/** `JSON.stringify(value)`, for an answer of the public API: a record, or a page `{ data: [...], ... }`. */
export function serialize(value: unknown): string {
  if (!isRecord(value) || !Array.isArray(value.data)) return record(value);
  // A page: its keys in order, as JSON.stringify writes them; `data` from the records' texts. Built by
  // appending (the text is made flat once, when it is written out).
  let out = "{";
  for (const key of Object.keys(value)) {
    const field = key === "data" ? list(value.data as unknown[]) : scalar(value[key]);
    if (field === undefined) continue; // undefined and functions are left out, as JSON.stringify does
    out += `${out.length > 1 ? "," : ""}${keyText(key)}${field}`;
  }
  return `${out}}`;
}

function list(items: unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += `${i > 0 ? "," : ""}${record(items[i]) ?? "null"}`;
  return `${out}]`;
}

/** A page's number as JSON.stringify writes it (for a finite number, the same as String). */
function scalar(value: unknown): string | undefined {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

/** `"key":`, made once per key name (a page has the same few). */
const keyTexts = new Map<string, string>();
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    if (keyTexts.size < 100) keyTexts.set(key, text);
  }
  return text;
}

function record(value: unknown): string {
  if (!isRecord(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (kept >= GENERATION) {
      texts = new WeakMap();
      kept = 0;
    }
    texts.set(value, text);
    kept++;
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
