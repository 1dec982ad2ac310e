/**
 * How a round trip is judged: the JSON that came back must say what went in. Objects must have the same
 * keys (a property absent on one side and null on the other is a difference), arrays the same items in
 * the same order, numbers, booleans and strings the same values. One allowance: two RFC 3339 date-times
 * that name the same instant are the same value (`2025-01-01T00:00:00.000Z` comes back from Python as
 * `2025-01-01T00:00:00+00:00`, from Go as `2025-01-01T00:00:00Z`).
 */

/** One difference, at a JSON pointer into the document that went in. */
export interface Difference {
  path: string;
  problem: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** The instant of an RFC 3339 date-time in microseconds, or undefined when the string is none. */
function instant(text: string): bigint | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? "";
  const millis = Date.parse(text.replace(/\.\d+/, ""));
  if (Number.isNaN(millis)) return undefined;
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function compareJson(sent: unknown, received: unknown, path = ""): Difference[] {
  const [a, b] = [kind(sent), kind(received)];
  if (a !== b) return [{ path, problem: `sent ${a} ${JSON.stringify(sent)}, got ${b} ${JSON.stringify(received)}` }];
  if (a === "array") {
    const [x, y] = [sent as unknown[], received as unknown[]];
    if (x.length !== y.length) return [{ path, problem: `sent ${x.length} items, got ${y.length}` }];
    return x.flatMap((item, i) => compareJson(item, y[i], `${path}/${i}`));
  }
  if (a === "object") {
    const [x, y] = [sent as Record<string, unknown>, received as Record<string, unknown>];
    const differences: Difference[] = [];
    for (const key of Object.keys(x)) {
      const at = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (!(key in y)) differences.push({ path: at, problem: `sent ${JSON.stringify(x[key])}, got nothing` });
      else differences.push(...compareJson(x[key], y[key], at));
    }
    for (const key of Object.keys(y)) {
      if (!(key in x))
        differences.push({ path: `${path}/${key}`, problem: `sent nothing, got ${JSON.stringify(y[key])}` });
    }
    return differences;
  }
  if (sent === received) return [];
  if (a === "string") {
    const [x, y] = [instant(sent as string), instant(received as string)];
    if (x !== undefined && x === y) return [];
  }
  return [{ path, problem: `sent ${JSON.stringify(sent)}, got ${JSON.stringify(received)}` }];
}
