/**
 * What the recorder knows of each object it records, read from the spec (openapi/README.md, Conventions):
 * its properties, those marked `x-personal: true` (replaced before anything is written) and those marked
 * `x-references: <Kind>` (the GUID of another object). A field the spec gains is recorded, sanitised and
 * followed by these, with no code.
 */
import type { oas31 } from "openapi3-ts";
import { publicSpec, resolve } from "../../lib/spec.ts";

/** The objects the recorder keeps, by their schema's name. */
export type RecordedKind = "Workspace" | "User" | "TeamMember" | "Contact" | "Chat" | "Message";

export interface PersonalField {
  field: string;
  /** The property's `format` (`email`, `uri`, `ipv4`), which says what kind of fake fits it. */
  format: string | undefined;
}

export interface Reference {
  field: string;
  /** What the GUID names: a schema of the spec, or `Channel` / `Bot` (named by id only). */
  kind: string;
  /** Whether the property may be null: a delete of the object then clears it, else removes the holder. */
  nullable: boolean;
}

export interface SchemaMarks {
  fields: ReadonlySet<string>;
  personal: readonly PersonalField[];
  references: readonly Reference[];
}

const cache = new Map<RecordedKind, SchemaMarks>();

export function schemaMarks(kind: RecordedKind): SchemaMarks {
  let marks = cache.get(kind);
  if (!marks) {
    marks = read(kind);
    cache.set(kind, marks);
  }
  return marks;
}

function read(kind: RecordedKind): SchemaMarks {
  const raw = publicSpec.components?.schemas?.[kind];
  if (!raw) throw new Error(`The spec has no schema ${kind}, which the recorder keeps.`);
  const properties = resolve<oas31.SchemaObject>(publicSpec, raw).properties ?? {};
  const personal: PersonalField[] = [];
  const references: Reference[] = [];
  for (const [field, node] of Object.entries(properties)) {
    const marks = node as Record<string, unknown>;
    const schema = resolve<oas31.SchemaObject>(publicSpec, node);
    if (marks["x-personal"] === true) personal.push({ field, format: schema.format });
    const target = marks["x-references"];
    if (typeof target === "string") {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      references.push({ field, kind: target, nullable: types.includes("null") });
    }
  }
  return { fields: new Set(Object.keys(properties)), personal, references };
}

/** Every (holder, reference) of the recorded kinds that names `kind`. */
export function referencesTo(kind: string): { holder: RecordedKind; reference: Reference }[] {
  return RECORDED_KINDS.flatMap((holder) =>
    schemaMarks(holder)
      .references.filter((r) => r.kind === kind)
      .map((reference) => ({ holder, reference })),
  );
}

export const RECORDED_KINDS: readonly RecordedKind[] = [
  "Workspace",
  "User",
  "TeamMember",
  "Contact",
  "Chat",
  "Message",
];
