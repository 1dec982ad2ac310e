/**
 * What a consumer's tests received from the mock, as field paths (`company`, `data[].email`), and which of
 * them another server's answer lacks. Arrays are compared by the shape of their items (the fields any item
 * carries), not item by item: the target's data differs from the mock's. A field the target answers `null`,
 * or an array it answers empty, hides nothing beneath it: the spec allows it, and the fields under it cannot
 * be seen either way.
 */

type Shape =
  | { kind: "object"; fields: Map<string, Shape> }
  | { kind: "array"; items: Shape | undefined }
  | { kind: "value" }
  | { kind: "null" };

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: "null" };
  if (Array.isArray(value)) {
    let items: Shape | undefined;
    for (const item of value) items = items === undefined ? shapeOf(item) : merge(items, shapeOf(item));
    return { kind: "array", items };
  }
  if (typeof value === "object") {
    const fields = new Map<string, Shape>();
    for (const [name, child] of Object.entries(value)) fields.set(name, shapeOf(child));
    return { kind: "object", fields };
  }
  return { kind: "value" };
}

/** Two shapes as one: every field either has. */
function merge(a: Shape, b: Shape): Shape {
  if (a.kind === "object" && b.kind === "object") {
    const fields = new Map(a.fields);
    for (const [name, shape] of b.fields) {
      const known = fields.get(name);
      fields.set(name, known === undefined ? shape : merge(known, shape));
    }
    return { kind: "object", fields };
  }
  if (a.kind === "array" && b.kind === "array") {
    if (a.items === undefined) return b;
    if (b.items === undefined) return a;
    return { kind: "array", items: merge(a.items, b.items) };
  }
  // The richer shape: an object or array over a null or a plain value.
  return a.kind === "null" || a.kind === "value" ? b : a;
}

/** The field paths the mock's body has and the target's lacks (`company`, `data[].email`), parents first. */
export function missingFields(mockBody: unknown, targetBody: unknown): string[] {
  const missing: string[] = [];
  walk(shapeOf(mockBody), shapeOf(targetBody), "", missing);
  return missing;
}

function walk(mock: Shape, target: Shape, path: string, missing: string[]): void {
  if (mock.kind === "object" && target.kind === "object") {
    for (const [name, shape] of mock.fields) {
      const where = path === "" ? name : `${path}.${name}`;
      const there = target.fields.get(name);
      if (there === undefined) missing.push(where);
      else walk(shape, there, where, missing);
    }
  } else if (mock.kind === "array" && target.kind === "array" && mock.items && target.items) {
    walk(mock.items, target.items, `${path}[]`, missing);
  }
}
