/**
 * The fields a consumer's tests received that a target's answer lacks (replay-fields.ts), and the mock's
 * ids put in the target's place (replay-ids.ts): tables of cases.
 */
import { describe, expect, it } from "vitest";
import { missingFields } from "../replay-fields.ts";
import { IdMap } from "../replay-ids.ts";

describe("missingFields", () => {
  it.each([
    ["the same fields", { a: 1, b: "x" }, { a: 2, b: "y" }, []],
    ["a field dropped", { a: 1, company: "x" }, { a: 1 }, ["company"]],
    ["a nested field dropped, named by its path", { a: { b: 1, c: 2 } }, { a: { b: 1 } }, ["a.c"]],
    ["a whole object dropped, named once", { a: { b: 1 } }, {}, ["a"]],
    ["extra fields on the target", { a: 1 }, { a: 1, z: 2 }, []],
    ["null on the target hides nothing", { a: { b: 1 } }, { a: null }, []],
    [
      "array items by shape: one target item has the field",
      { data: [{ a: 1, c: 1 }] },
      { data: [{ a: 1 }, { a: 2, c: 3 }] },
      [],
    ],
    ["array items by shape: no target item has it", { data: [{ a: 1 }, { c: 1 }] }, { data: [{ a: 1 }] }, ["data[].c"]],
    ["an empty array on the target hides nothing", { data: [{ a: 1 }] }, { data: [] }, []],
    ["a field the mock sent as null is still read", { company: null }, {}, ["company"]],
  ])("%s", (_, mock, target, want) => {
    expect(missingFields(mock, target)).toEqual(want);
  });
});

describe("IdMap", () => {
  it("learns ids at the same places and puts them in paths, queries and bodies", () => {
    const ids = new IdMap();
    ids.learn(
      { data: [{ guid: "m1", chatId: "mc" }, { guid: "m2" }] },
      { data: [{ guid: "t1", chatId: "tc" }] },
      false,
    );
    expect(ids.path("/contact/m1")).toBe("/contact/t1");
    expect(ids.path("/chat/mc/message?contact=m1&limit=2")).toBe("/chat/tc/message?contact=t1&limit=2");
    expect(ids.path("/contact/m2")).toBe("/contact/m2");
    expect(ids.body({ contact: "m1", tags: ["mc"], note: "m1 here" })).toEqual({
      contact: "t1",
      tags: ["tc"],
      note: "m1 here",
    });
  });

  it("keeps the first read's id, and a create's replaces it", () => {
    const ids = new IdMap();
    ids.learn({ guid: "m" }, { guid: "first" }, false);
    ids.learn({ guid: "m" }, { guid: "second" }, false);
    expect(ids.get("m")).toBe("first");
    ids.learn({ guid: "m" }, { guid: "made" }, true);
    expect(ids.get("m")).toBe("made");
  });
});
