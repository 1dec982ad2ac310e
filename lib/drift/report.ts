/**
 * The live drift report: for every schema of the spec that a run saw, which `x-inferred` properties the
 * server confirmed (returned), which it never returned, and which undocumented properties it returned.
 * Built from observations only (schema and property names, counts): no request, no body, no key.
 */
import type { oas31 } from "openapi3-ts";
import { isRef, publicSpec, resolve } from "../spec.ts";
import type { Observations } from "./observe.ts";

export interface SchemaDrift {
  schema: string;
  objects: number;
  /** The schema itself is marked `x-inferred` (its shape is a guess). */
  inferredSchema: boolean;
  inferredConfirmed: string[];
  inferredNeverReturned: string[];
  documentedNeverReturned: string[];
  undocumentedReturned: { property: string; times: number }[];
}

export interface DriftReport {
  target: string;
  generatedAt: string;
  schemas: SchemaDrift[];
  /** Response schemas of the spec no response of the run showed (nothing can be said of them). */
  unseen: string[];
}

const inferred = (doc: oas31.OpenAPIObject, node: oas31.SchemaObject | oas31.ReferenceObject): boolean => {
  if ((node as Record<string, unknown>)["x-inferred"] === true) return true;
  return isRef(node) && resolve<Record<string, unknown>>(doc, node)["x-inferred"] === true;
};

export function buildDriftReport(
  target: string,
  observations: Observations,
  doc: oas31.OpenAPIObject = publicSpec,
  now: Date = new Date(),
): DriftReport {
  const schemas: SchemaDrift[] = [];
  const unseen: string[] = [];
  for (const [name, raw] of Object.entries(doc.components?.schemas ?? {})) {
    const schema = resolve<oas31.SchemaObject>(doc, raw);
    if (!schema.properties || !isResponseSchema(doc, name)) continue;
    const seen = observations[name];
    if (!seen) {
      unseen.push(name);
      continue;
    }
    const entry: SchemaDrift = {
      schema: name,
      objects: seen.objects,
      inferredSchema: (schema as Record<string, unknown>)["x-inferred"] === true,
      inferredConfirmed: [],
      inferredNeverReturned: [],
      documentedNeverReturned: [],
      undocumentedReturned: Object.entries(seen.undocumented)
        .map(([property, times]) => ({ property, times }))
        .sort((a, b) => a.property.localeCompare(b.property)),
    };
    for (const [property, node] of Object.entries(schema.properties)) {
      const returned = (seen.returned[property] ?? 0) > 0;
      if (inferred(doc, node)) (returned ? entry.inferredConfirmed : entry.inferredNeverReturned).push(property);
      else if (!returned) entry.documentedNeverReturned.push(property);
    }
    schemas.push(entry);
  }
  return { target, generatedAt: now.toISOString(), schemas, unseen };
}

/** Whether some operation's response body reaches the schema (request bodies are not drift). */
function isResponseSchema(doc: oas31.OpenAPIObject, name: string): boolean {
  const responses = JSON.stringify(
    Object.values(doc.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { responses?: unknown }>).map((op) => op?.responses ?? {}),
    ),
  );
  const reached = new Set<string>();
  const queue = [...responses.matchAll(/#\/components\/(?:schemas|responses)\/([A-Za-z0-9_]+)/g)].map((m) => m[0]);
  while (queue.length > 0) {
    const ref = queue.pop() as string;
    if (reached.has(ref)) continue;
    reached.add(ref);
    const text = JSON.stringify(resolve(doc, { $ref: ref }));
    for (const m of text.matchAll(/#\/components\/(?:schemas|responses)\/([A-Za-z0-9_]+)/g)) queue.push(m[0]);
  }
  return reached.has(`#/components/schemas/${name}`);
}

export function driftMarkdown(report: DriftReport): string {
  const list = (items: string[]) => (items.length === 0 ? "—" : items.map((i) => `\`${i}\``).join(", "));
  const lines = [
    "# Live drift report",
    "",
    `Target: ${report.target}  `,
    `Generated: ${report.generatedAt}`,
    "",
    "For each response schema the run saw: the `x-inferred` properties the server confirmed (returned at",
    "least once) or never returned, documented properties it never returned, and undocumented properties",
    "it returned. Built from property names and counts only.",
    "",
    "| Schema | Objects | Inferred, confirmed | Inferred, never returned | Documented, never returned | Undocumented, returned |",
    "| --- | ---: | --- | --- | --- | --- |",
  ];
  for (const s of report.schemas) {
    const extras = s.undocumentedReturned.map((u) => `${u.property} (${u.times}×)`);
    lines.push(
      `| ${s.schema}${s.inferredSchema ? " (inferred)" : ""} | ${s.objects} | ${list(s.inferredConfirmed)} | ${list(s.inferredNeverReturned)} | ${list(s.documentedNeverReturned)} | ${list(extras)} |`,
    );
  }
  lines.push("", `Not seen in this run: ${list(report.unseen)}`, "");
  return lines.join("\n");
}
