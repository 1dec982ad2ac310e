/**
 * The objects in an upstream's answer, as the recorder takes them: a record (an object with a `guid`), a
 * page of them, and only the properties the spec documents for its kind (the mock serves no property the
 * spec lacks; the proxy's report names those).
 */
import { type RecordedKind, schemaMarks } from "./schema-marks.ts";

export interface AnswerPage {
  /** Every item of the page's `data`, as the answer gave it (the recorder checks each against the spec). */
  data: unknown[];
  /** Where the page's first item is in the whole list; undefined when the answer does not say (a search). */
  offset: number | undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isRecord(value: unknown): value is { guid: string } {
  return isObject(value) && typeof value.guid === "string";
}

export function asPage(body: unknown): AnswerPage | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const { page, limit } = body;
  const offset = typeof page === "number" && typeof limit === "number" && page >= 1 ? (page - 1) * limit : undefined;
  return { data: body.data, offset };
}

/** The record without the properties its kind's schema does not document. */
export function documented<T extends object>(kind: RecordedKind, record: T): T {
  const { fields } = schemaMarks(kind);
  return Object.fromEntries(Object.entries(record).filter(([k]) => fields.has(k))) as T;
}
