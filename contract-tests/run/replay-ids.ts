/**
 * The ids of a replay: the mock's data is not the target's, so an id the consumer's tests took from one of
 * the mock's answers stands, in later requests, for the id at the same place in the target's answer to the
 * same request (the first contact of a list, the contact a create made). Ids are the fields the spec names
 * `guid` or `id`, or that end in `Id`/`_id`.
 */

const isIdField = (name: string) => name === "guid" || name === "id" || /(Id|_id|Guid|_guid)$/.test(name);

export class IdMap {
  private readonly ids = new Map<string, string>();

  /** The target's id for one of the mock's, when an answer gave one. */
  get(mockId: string): string | undefined {
    return this.ids.get(mockId);
  }

  has(mockId: string): boolean {
    return this.ids.has(mockId);
  }

  /**
   * Learns the ids at the same places in the two answers. A created object's ids replace any known
   * (`overwrite`); a read's are learnt only for ids not met yet, so that the first answer that gave an id wins.
   */
  learn(mockBody: unknown, targetBody: unknown, overwrite: boolean): void {
    if (Array.isArray(mockBody) && Array.isArray(targetBody)) {
      const count = Math.min(mockBody.length, targetBody.length);
      for (let i = 0; i < count; i++) this.learn(mockBody[i], targetBody[i], overwrite);
      return;
    }
    if (!isObject(mockBody) || !isObject(targetBody)) return;
    for (const [name, value] of Object.entries(mockBody)) {
      const there = targetBody[name];
      if (isIdField(name) && typeof value === "string" && typeof there === "string") {
        if (overwrite || !this.ids.has(value)) this.ids.set(value, there);
      } else this.learn(value, there, overwrite);
    }
  }

  /** A body with each of the mock's ids that is known replaced by the target's. */
  body(value: unknown): unknown {
    if (typeof value === "string") return this.ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map((item) => this.body(item));
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) out[name] = this.body(item);
      return out;
    }
    return value;
  }

  /** A path and query with each known id among its segments and query values replaced. */
  path(pathAndQuery: string): string {
    const mark = pathAndQuery.indexOf("?");
    const path = mark < 0 ? pathAndQuery : pathAndQuery.slice(0, mark);
    const segments = path.split("/").map((segment) => {
      const known = this.ids.get(safeDecode(segment));
      return known === undefined ? segment : encodeURIComponent(known);
    });
    if (mark < 0) return segments.join("/");
    const query = new URLSearchParams(pathAndQuery.slice(mark + 1));
    let changed = false;
    for (const [name, value] of [...query]) {
      const known = this.ids.get(value);
      if (known !== undefined) {
        query.set(name, known);
        changed = true;
      }
    }
    return `${segments.join("/")}?${changed ? query.toString() : pathAndQuery.slice(mark + 1)}`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
