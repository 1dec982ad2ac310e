import { describe, expect, it } from "vitest";
import { DEFAULT_SEED } from "../../../store/seed.ts";
import { Store } from "../../../store/store.ts";
import { serialize } from "../serialize.ts";

describe("the public API's JSON text", () => {
  it.each([
    ["a record", { guid: "a", name: 'Zoë \u2028 "quoted"', email: null, n: 1.5, nested: { x: [1, null] } }],
    ["a page", { data: [{ guid: "a" }, { guid: "b", name: null }], page: 2, limit: 20, pages: 3, total: 41 }],
    ["an empty page", { data: [], page: 1, limit: 20, pages: 0, total: 0 }],
    ["a page with its keys in another order", { total: 1, data: [{ guid: "a" }], page: 1 }],
    ["a page with holes and left-out values", { data: [undefined, null, 3, "x", () => 1], skip: undefined, page: 1 }],
    ["a string", "text"],
    ["a number", 42],
    ["null", null],
    ["an array", [{ a: 1 }, [2]]],
  ])("is JSON.stringify's, byte for byte, for %s", (_, value) => {
    expect(serialize(value)).toBe(JSON.stringify(value));
    // Twice: the second time from the kept texts.
    expect(serialize(value)).toBe(JSON.stringify(value));
  });

  it("is JSON.stringify's for every page and record of the seeded store", () => {
    const store = Store.seeded(DEFAULT_SEED);
    for (let page = 1; page <= 4; page++) {
      const contacts = store.listContacts({ page, limit: 20 });
      expect(serialize(contacts)).toBe(JSON.stringify(contacts));
      const chats = store.listChats({ page, limit: 7 });
      expect(serialize(chats)).toBe(JSON.stringify(chats));
    }
    const [first] = store.listContacts({ page: 1, limit: 1 }).data;
    expect(serialize(first)).toBe(JSON.stringify(first));
  });

  it("shows a contact's change at once, on its page and on its own", () => {
    const store = Store.seeded(DEFAULT_SEED, { now: () => "2030-01-01T00:00:00.000Z" });
    const before = store.listContacts({ page: 1, limit: 5 });
    const id = before.data[2]?.guid ?? "";
    serialize(before);
    serialize(store.getContact(id));
    store.updateContact(id, { name: "Renamed Person" });
    const after = serialize(store.listContacts({ page: 1, limit: 5 }));
    expect(after).toContain('"name":"Renamed Person"');
    expect(after).toBe(JSON.stringify(store.listContacts({ page: 1, limit: 5 })));
    expect(serialize(store.getContact(id))).toContain('"name":"Renamed Person"');
  });
});
