import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { publicSpec } from "../../../lib/spec.ts";
import { ids, stateOf, tinyStore } from "../../test/store-fixtures.ts";
import type { ContactCreate } from "../types.ts";
import { failure } from "./store-failure.ts";

const schemas = publicSpec.components?.schemas ?? {};
const propertiesOf = (name: string) => Object.keys((schemas[name] as oas31.SchemaObject).properties ?? {});
/** The fields a client may set, and the fields a Contact has: both from the spec. */
const writable = propertiesOf("ContactCreate");
const contactFields = propertiesOf("Contact");

/** A value for every writable field, valid for its format: the spec's example of a Contact, which has each. */
const full = Object.fromEntries(
  writable.map((field) => [field, ((schemas.Contact as oas31.SchemaObject).example as Record<string, unknown>)[field]]),
) as Required<ContactCreate>;

describe("creating a contact", () => {
  // Which fields those are, by the vendor's reference, scripts/test/spec-operations.test.ts holds.
  it("is updated with the same fields it is created with", () => {
    expect(writable.length).toBeGreaterThan(0);
    expect([...propertiesOf("ContactUpdate")].sort()).toEqual([...writable].sort());
  });

  it("has a test value for every writable field (the spec's example of a Contact sets each)", () => {
    for (const field of writable) expect(full[field as keyof ContactCreate], field).toBeTypeOf("string");
  });

  it("stores every field given and answers with the whole contact", () => {
    const store = tinyStore();
    const created = store.createContact(full);
    expect(created).toMatchObject(full);
    expect(Object.keys(created).sort()).toEqual([...contactFields].sort());
    expect(store.getContact(created.guid)).toEqual(created);
  });

  it("needs no field at all: every unset field is null", () => {
    const created = tinyStore().createContact({});
    for (const field of writable) expect(created[field as keyof typeof created]).toBeNull();
    expect(created.guid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("stamps created_at and updated_at from the clock", () => {
    const created = tinyStore().createContact({ name: "Dee" });
    expect(created.created_at).toBe("2026-02-01T00:00:00.000Z");
    expect(created.updated_at).toBe(created.created_at);
  });

  it("keeps no field the spec does not know", () => {
    const created = tinyStore().createContact({ name: "Eve", favourite: "tea" } as ContactCreate);
    expect(created).not.toHaveProperty("favourite");
  });

  it("adds the contact at the end of the list (creation order)", () => {
    const store = tinyStore();
    const created = store.createContact({ name: "Last" });
    const page = store.listContacts({ page: 1, limit: 100 });
    expect(page.data.at(-1)).toEqual(created);
    expect(page.total).toBe(4);
  });

  it.each([
    ["the same email", "bob@example.com"],
    ["the email in another case", "BOB@EXAMPLE.COM"],
    ["an email stored in mixed case, given in lower case", "alice@example.com"],
  ])("refuses %s as another contact's (email_taken), changing nothing", (_, email) => {
    const store = tinyStore();
    const before = stateOf(store);
    const error = failure(() => store.createContact({ name: "Copycat", email }), "email_taken");
    expect(error.details).toEqual([expect.objectContaining({ in: "body", field: "/email" })]);
    expect(stateOf(store)).toBe(before);
  });
});

describe("reading contacts", () => {
  it("gets a contact by id", () => {
    expect(tinyStore().getContact(ids.bob).name).toBe("Bob Baker");
  });

  it("answers not_found for an unknown id", () => {
    failure(() => tinyStore().getContact(ids.unknown), "not_found");
  });

  it("lists contacts in creation order in the page envelope", () => {
    const page = tinyStore().listContacts({ page: 1, limit: 2 });
    expect(page.data.map((c) => c.guid)).toEqual([ids.alice, ids.bob]);
    expect(page).toMatchObject({ page: 1, limit: 2, pages: 2, total: 3 });
  });
});

describe("searching contacts by email", () => {
  it.each(["bob@example.com", "BOB@example.COM", "alice@EXAMPLE.com"])(
    "finds the one contact with %s, compared case-insensitively",
    (email) => {
      const page = tinyStore().searchContacts(email, { page: 1, limit: 20 });
      expect(page.data).toHaveLength(1);
      expect(page.data[0]?.email?.toLowerCase()).toBe(email.toLowerCase());
      expect(page).toMatchObject({ page: 1, limit: 20, pages: 1, total: 1 });
    },
  );

  it("answers an empty page when no contact has the email", () => {
    expect(tinyStore().searchContacts("nobody@example.com", { page: 1, limit: 20 })).toEqual({
      data: [],
      page: 1,
      limit: 20,
      pages: 0,
      total: 0,
    });
  });

  it("answers a page past the one match with empty data", () => {
    const page = tinyStore().searchContacts("bob@example.com", { page: 2, limit: 20 });
    expect(page).toEqual({ data: [], page: 2, limit: 20, pages: 1, total: 1 });
  });

  it("matches whole emails only", () => {
    expect(tinyStore().searchContacts("ob@example.com", { page: 1, limit: 20 }).total).toBe(0);
  });
});

describe("updating a contact", () => {
  it("changes only the fields given", () => {
    const store = tinyStore();
    const before = store.getContact(ids.bob);
    const after = store.updateContact(ids.bob, { phone: "+61 400 000 000", city: "Perth" });
    expect(after).toEqual({ ...before, phone: "+61 400 000 000", city: "Perth", updated_at: after.updated_at });
    expect(after.updated_at).not.toBe(before.updated_at);
    expect(store.getContact(ids.bob)).toEqual(after);
  });

  it("clears a field given as null", () => {
    const store = tinyStore();
    const after = store.updateContact(ids.bob, { name: null, email: null });
    expect(after.name).toBeNull();
    expect(after.email).toBeNull();
  });

  it("changes nothing but updated_at when given no field", () => {
    const store = tinyStore();
    const before = store.getContact(ids.bob);
    expect(store.updateContact(ids.bob, {})).toEqual({ ...before, updated_at: expect.any(String) });
  });

  it("keeps no field the spec does not know", () => {
    const store = tinyStore();
    expect(store.updateContact(ids.bob, { favourite: "tea" } as never)).not.toHaveProperty("favourite");
  });

  it("lets a contact keep its own email, or change its case", () => {
    const store = tinyStore();
    expect(store.updateContact(ids.bob, { email: "bob@example.com" }).email).toBe("bob@example.com");
    expect(store.updateContact(ids.bob, { email: "Bob@Example.com" }).email).toBe("Bob@Example.com");
    expect(store.searchContacts("BOB@EXAMPLE.COM", { page: 1, limit: 20 }).data[0]?.guid).toBe(ids.bob);
  });

  it("frees the old email when the email changes, and makes the new one searchable", () => {
    const store = tinyStore();
    store.updateContact(ids.bob, { email: "robert@example.com" });
    expect(store.searchContacts("bob@example.com", { page: 1, limit: 20 }).total).toBe(0);
    expect(store.searchContacts("robert@example.com", { page: 1, limit: 20 }).data[0]?.guid).toBe(ids.bob);
    expect(store.createContact({ email: "bob@example.com" }).email).toBe("bob@example.com");
  });

  it("frees an email that is cleared with null", () => {
    const store = tinyStore();
    store.updateContact(ids.bob, { email: null });
    expect(store.createContact({ email: "BOB@example.com" }).email).toBe("BOB@example.com");
  });

  it("refuses another contact's email, in any case (email_taken), changing nothing", () => {
    const store = tinyStore();
    const before = stateOf(store);
    failure(() => store.updateContact(ids.bob, { name: "Renamed", email: "ALICE@example.COM" }), "email_taken");
    expect(stateOf(store)).toBe(before);
    expect(store.getContact(ids.bob).name).toBe("Bob Baker");
  });

  it("answers not_found for an unknown id", () => {
    failure(() => tinyStore().updateContact(ids.unknown, { name: "x" }), "not_found");
  });
});

describe("deleting a contact", () => {
  it("removes it: afterwards GET, PUT and DELETE of its id are not_found", () => {
    const store = tinyStore();
    store.deleteContact(ids.bob);
    failure(() => store.getContact(ids.bob), "not_found");
    failure(() => store.updateContact(ids.bob, { name: "Back" }), "not_found");
    failure(() => store.deleteContact(ids.bob), "not_found");
    expect(store.listContacts({ page: 1, limit: 20 }).data.map((c) => c.guid)).toEqual([ids.alice, ids.nameless]);
  });

  it("frees its email for a new contact, and search no longer finds it", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    expect(store.searchContacts("alice@example.com", { page: 1, limit: 20 }).total).toBe(0);
    expect(store.createContact({ email: "alice@example.com" }).email).toBe("alice@example.com");
  });

  it("frees its email for another contact's update", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    expect(store.updateContact(ids.bob, { email: "alice@example.com" }).email).toBe("alice@example.com");
  });

  it("keeps its chats, with no contact", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    expect(store.getChat(ids.aliceChat).contact).toBeNull();
    expect(store.listChatMessages(ids.aliceChat, { page: 1, limit: 20 }).total).toBe(2);
  });

  it("answers not_found for an unknown id", () => {
    failure(() => tinyStore().deleteContact(ids.unknown), "not_found");
  });
});
