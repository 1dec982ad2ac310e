import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderedCollection } from "../ordered-collection.ts";

interface Item {
  id: string;
  value: number;
}

const collection = () => new OrderedCollection<Item>((item) => item.id);
const item = (n: number, value = n): Item => ({ id: `id-${n}`, value });
const idsOf = (items: Item[]) => items.map((i) => i.id);

/** A collection holding items 0..count-1, in that order. */
function filled(count: number) {
  const c = collection();
  for (let n = 0; n < count; n++) c.add(item(n));
  return c;
}

describe("OrderedCollection", () => {
  it("finds an added item by its id, and knows its size", () => {
    const c = filled(3);
    expect(c.size).toBe(3);
    expect(c.get("id-1")).toEqual(item(1));
    expect(c.has("id-2")).toBe(true);
    expect(c.get("id-9")).toBeUndefined();
  });

  it("refuses a second item with an id it already holds", () => {
    const c = filled(2);
    expect(() => c.add(item(1, 99))).toThrow(/duplicate/);
    expect(c.get("id-1")).toEqual(item(1));
  });

  it("forgets a removed item, and removing an unknown id is a no-op", () => {
    const c = filled(3);
    expect(c.remove("id-1")).toEqual(item(1));
    expect(c.has("id-1")).toBe(false);
    expect(c.size).toBe(2);
    expect(c.remove("id-1")).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it("slices in insertion order, oldest first", () => {
    const c = filled(10);
    expect(idsOf(c.slice(0, 3))).toEqual(["id-0", "id-1", "id-2"]);
    expect(idsOf(c.slice(8, 5))).toEqual(["id-8", "id-9"]);
    expect(c.slice(10, 5)).toEqual([]);
    expect(c.slice(0, 0)).toEqual([]);
  });

  it("slices newest first when asked for descending order", () => {
    const c = filled(10);
    expect(idsOf(c.slice(0, 3, "desc"))).toEqual(["id-9", "id-8", "id-7"]);
    expect(idsOf(c.slice(8, 5, "desc"))).toEqual(["id-1", "id-0"]);
    expect(c.slice(10, 1, "desc")).toEqual([]);
  });

  it("skips the holes that removals leave, in both orders", () => {
    const c = filled(10);
    for (const n of [0, 3, 4, 9]) c.remove(`id-${n}`);
    expect(idsOf(c.slice(0, 10))).toEqual(["id-1", "id-2", "id-5", "id-6", "id-7", "id-8"]);
    expect(idsOf(c.slice(2, 2))).toEqual(["id-5", "id-6"]);
    expect(idsOf(c.slice(0, 10, "desc"))).toEqual(["id-8", "id-7", "id-6", "id-5", "id-2", "id-1"]);
    expect(idsOf(c.slice(4, 2, "desc"))).toEqual(["id-2", "id-1"]);
  });

  it("keeps order, lookups and pages right after compacting its holes", () => {
    const c = filled(300);
    // Removing most of the items makes holes outnumber live items, which compacts the slots.
    for (let n = 0; n < 300; n++) if (n % 5 !== 0) c.remove(`id-${n}`);
    const live = Array.from({ length: 60 }, (_, k) => `id-${k * 5}`);
    expect(c.size).toBe(60);
    expect(idsOf(c.slice(0, 100))).toEqual(live);
    expect(idsOf(c.slice(10, 3))).toEqual(live.slice(10, 13));
    expect(idsOf(c.slice(0, 3, "desc"))).toEqual(["id-295", "id-290", "id-285"]);
    expect(c.get("id-55")).toEqual(item(55));
    c.add(item(1000));
    expect(idsOf(c.slice(59, 5))).toEqual(["id-295", "id-1000"]);
  });

  it("replaces an item in its place, keeping its position", () => {
    const c = filled(3);
    c.replace(item(1, 42));
    expect(c.slice(0, 3).map((i) => i.value)).toEqual([0, 42, 2]);
    expect(() => c.replace(item(7))).toThrow(/unknown id/);
  });

  it("iterates its live values in order", () => {
    const c = filled(4);
    c.remove("id-2");
    expect(idsOf([...c.values()])).toEqual(["id-0", "id-1", "id-3"]);
  });

  it("reads a page deep in a large, holed collection by looking at about as many slots as the page holds", () => {
    const c = filled(100_000);
    // Every other item removed: holes everywhere, but not enough to compact them away.
    for (let n = 0; n < 100_000; n += 2) c.remove(`id-${n}`);
    // Counted, not timed (a timed test fails on a busy machine): every read of a slot goes through this proxy.
    // A page found by walking the holes before it would read about 100,000 slots; found through the Fenwick
    // tree, it reads the page's own slots and the holes between them, about twice the limit.
    const inside = c as unknown as { slots: (Item | undefined)[] };
    let reads = 0;
    inside.slots = new Proxy(inside.slots, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const readsOf = (offset: number, order: "asc" | "desc") => {
      reads = 0;
      const page = c.slice(offset, 20, order);
      expect(page).toHaveLength(20);
      return reads;
    };
    expect(readsOf(0, "asc")).toBeLessThanOrEqual(40);
    expect(readsOf(49_900, "asc")).toBeLessThanOrEqual(40);
    expect(readsOf(49_900, "desc")).toBeLessThanOrEqual(40);
    expect(idsOf(c.slice(49_998, 5))).toEqual(["id-99997", "id-99999"]);
  });

  it("behaves like a plain array under any sequence of adds, removes, replaces and slices", () => {
    type Op =
      | { kind: "add" }
      | { kind: "remove"; pick: number }
      | { kind: "replace"; pick: number; value: number }
      | { kind: "slice"; offset: number; limit: number; order: "asc" | "desc" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.constant({ kind: "add" as const }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: fc.integer() }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("slice" as const),
          offset: fc.nat({ max: 300 }),
          limit: fc.nat({ max: 120 }),
          order: fc.constantFrom("asc" as const, "desc" as const),
        }),
      },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400, size: "max" }), (ops) => {
        const c = collection();
        let model: Item[] = [];
        let next = 0;
        for (const o of ops) {
          if (o.kind === "add") {
            const added = item(next++);
            c.add(added);
            model.push(added);
          } else if (o.kind === "remove" && model.length > 0) {
            const victim = model[o.pick % model.length] as Item;
            expect(c.remove(victim.id)).toEqual(victim);
            model = model.filter((m) => m.id !== victim.id);
          } else if (o.kind === "replace" && model.length > 0) {
            const index = o.pick % model.length;
            const replaced = { id: (model[index] as Item).id, value: o.value };
            c.replace(replaced);
            model[index] = replaced;
          } else if (o.kind === "slice") {
            const ordered = o.order === "asc" ? model : [...model].reverse();
            expect(c.slice(o.offset, o.limit, o.order)).toEqual(ordered.slice(o.offset, o.offset + o.limit));
          }
          expect(c.size).toBe(model.length);
        }
        expect([...c.values()]).toEqual(model);
        for (const m of model) expect(c.get(m.id)).toEqual(m);
      }),
      // Long runs shrink slowly: a failure is reported with the smallest case found within the limit.
      { numRuns: 50, interruptAfterTimeLimit: 5_000 },
    );
  });
});
