import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../../lib/ajv.ts";
import { adminSpec } from "../../../lib/spec.ts";
import { stateJsonChunks } from "../../admin/state-json.ts";
import { DEFAULT_SEED, REFERENCE_DATE, seedState } from "../seed.ts";
import { FAKER_CONTACTS } from "../seed-derived.ts";
import { Store } from "../store.ts";
import type { StateSnapshot } from "../types.ts";

const defaults = () => seedState(DEFAULT_SEED);

/**
 * Golden digests (SHA-256) of seeded data, so that it cannot change by accident across machines, Node
 * versions or dependency upgrades (a new faker draws other names): tests, examples and users' fixtures
 * rely on the default seed's ids and values. A change that is meant is a commit that updates the digest.
 */
const DEFAULT_SEED_DIGEST = "f9b8e3dbeb541e4c3a62dbb8432a7f93fd1edaf274265ed09059366243588a9d";
/** The 2,000 contacts past the faker-made ones, seed 11 (made without faker, by seed-derived.ts). */
const DERIVED_CONTACTS_DIGEST = "6d4062b214ab21389fd378a88ff9be0f678edf8b14f5c89de4d93134b718153f";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const changed = (what: string, constant: string, digest: string) =>
  `${what} changed. If that is meant (a faker upgrade, a new field, another seeding order), look at the ` +
  `difference (e.g. GET /__admin/state of the mock before and after) and set ${constant} in ` +
  `mock-server/store/test/seed.test.ts to "${digest}" in a commit that says why; if not, find what changed it.`;

describe("seeded data", () => {
  it("is byte-identical for the same seed, across two builds", () => {
    expect(JSON.stringify(seedState(DEFAULT_SEED))).toBe(JSON.stringify(seedState(DEFAULT_SEED)));
    const sizes = { ...DEFAULT_SEED, seed: 1234, contacts: 80 };
    expect(JSON.stringify(seedState(sizes))).toBe(JSON.stringify(seedState(sizes)));
  });

  it("is, for the default seed, the committed data to the byte (its exported JSON has the golden digest)", () => {
    const exported = [...stateJsonChunks(Store.seeded(DEFAULT_SEED).snapshot())].join("");
    const digest = sha256(exported);
    expect(digest, changed("The default seed's data", "DEFAULT_SEED_DIGEST", digest)).toBe(DEFAULT_SEED_DIGEST);
  });

  it("differs for another seed", () => {
    expect(JSON.stringify(seedState({ ...DEFAULT_SEED, seed: 1 }))).not.toBe(
      JSON.stringify(seedState({ ...DEFAULT_SEED, seed: 2 })),
    );
  });

  it("answers the same through the store for the same seed, whatever the clock says", () => {
    const a = Store.seeded(DEFAULT_SEED, { now: () => "2030-01-01T00:00:00.000Z" });
    const b = Store.seeded(DEFAULT_SEED, { now: () => "1999-01-01T00:00:00.000Z" });
    expect(JSON.stringify(a.listChats({ page: 1, limit: 100 }))).toBe(
      JSON.stringify(b.listChats({ page: 1, limit: 100 })),
    );
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });

  it("has no timestamp after the fixed reference date", () => {
    const times = JSON.stringify(defaults()).match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g) ?? [];
    expect(times.length).toBeGreaterThan(100);
    for (const time of times) expect(Date.parse(time)).toBeLessThanOrEqual(REFERENCE_DATE);
  });

  it("has by default at least 50 contacts, 6 team members, 5 channels and 2 bots", () => {
    const state = defaults();
    expect(state.contacts.length).toBeGreaterThanOrEqual(50);
    expect(state.team).toHaveLength(6);
    expect(state.channels).toHaveLength(5);
    expect(state.bots).toHaveLength(2);
  });

  it("has by default 20 chats with 1 to 15 messages each", () => {
    const state = defaults();
    expect(state.chats).toHaveLength(20);
    for (const chat of state.chats) {
      const count = state.messages.filter((m) => m.chat === chat.guid).length;
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(15);
    }
  });

  it("has a LiveChatWeb channel and at least three other channel types", () => {
    const types = new Set(defaults().channels.map((c) => c.type));
    expect(types).toContain("LiveChatWeb");
    expect(types.size).toBeGreaterThanOrEqual(4);
  });

  it("sends on behalf of a contact only in LiveChatWeb chats, and only the chat's own contact", () => {
    const state = defaults();
    const chats = new Map(state.chats.map((c) => [c.guid, c]));
    const channels = new Map(state.channels.map((c) => [c.guid, c]));
    const fromContacts = state.messages.filter((m) => m.sender_type === "contact");
    expect(fromContacts.length).toBeGreaterThan(0);
    for (const message of fromContacts) {
      const chat = chats.get(message.chat);
      expect(channels.get(chat?.channel ?? "")?.type).toBe("LiveChatWeb");
      expect(message.contact).toBe(chat?.contact);
    }
  });

  it("gives every contact a different email, compared case-insensitively", () => {
    const emails = defaults()
      .contacts.map((c) => c.email?.toLowerCase())
      .filter((e) => e !== undefined);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it("titles every chat with its contact's name", () => {
    const state = defaults();
    const names = new Map(state.contacts.map((c) => [c.guid, c.name]));
    for (const chat of state.chats) expect(chat.title).toBe(chat.contact === null ? null : names.get(chat.contact));
  });

  it("names only existing objects, with each message's sender among the chat's", () => {
    const state = defaults();
    const team = new Set(state.team.map((m) => m.guid));
    const bots = new Set(state.bots.map((b) => b.guid));
    const chats = new Map(state.chats.map((c) => [c.guid, c]));
    expect(team).toContain(state.owner.guid);
    expect(state.workspace.owner).toBe(state.owner.guid);
    for (const message of state.messages) {
      const chat = chats.get(message.chat);
      expect(chat).toBeDefined();
      if (message.agent !== null) expect(team).toContain(message.agent);
      if (message.bot !== null) expect(bots).toContain(message.bot);
      expect(message[message.sender_type]).not.toBeNull();
    }
  });

  it("is a valid state by the admin spec's State schema, and loads into a store", () => {
    const ajv = createAjv([{ id: "admin.json", doc: adminSpec }]);
    const validate = ajv.compile({ $ref: "admin.json#/components/schemas/State" });
    const state: StateSnapshot = defaults();
    expect(validate(state), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(new Store(state).snapshot())).toBe(JSON.stringify(state));
  });

  it("takes its sizes from the options", () => {
    const state = seedState({ seed: 3, contacts: 7, chats: 4, team: 2, channels: 9, bots: 1 });
    expect([state.contacts, state.chats, state.team, state.channels, state.bots].map((a) => a.length)).toEqual([
      7, 4, 2, 9, 1,
    ]);
  });

  it("builds an empty workspace when asked for no contacts, chats or bots", () => {
    const state = seedState({ seed: 3, contacts: 0, chats: 0, team: 1, channels: 1, bots: 0 });
    expect(state.contacts).toEqual([]);
    expect(state.chats).toEqual([]);
    expect(state.messages).toEqual([]);
  });
});

describe("seeded data past the faker-made contacts", () => {
  const sizes = { ...DEFAULT_SEED, seed: 11, contacts: FAKER_CONTACTS + 2000 };
  // Made once (10,000 faker-made contacts take a while) and only read.
  let made: StateSnapshot | undefined;
  const large = () => {
    made ??= seedState(sizes);
    return made;
  };

  it("is byte-identical for the same seed, and differs for another", () => {
    const a = large();
    expect(JSON.stringify(a.contacts.slice(-2000))).toBe(JSON.stringify(seedState(sizes).contacts.slice(-2000)));
    const other = seedState({ ...sizes, seed: 12 });
    expect(JSON.stringify(other.contacts.slice(-10))).not.toBe(JSON.stringify(a.contacts.slice(-10)));
  });

  it("is the committed data to the byte (the golden digest of the contacts past the faker-made ones)", () => {
    const digest = sha256(JSON.stringify(large().contacts.slice(FAKER_CONTACTS)));
    expect(digest, changed("The contacts made past faker's", "DERIVED_CONTACTS_DIGEST", digest)).toBe(
      DERIVED_CONTACTS_DIGEST,
    );
  });

  it("gives every contact a different email and id, with the same fields in the same order", () => {
    const { contacts } = large();
    expect(contacts).toHaveLength(sizes.contacts);
    expect(new Set(contacts.map((c) => c.email?.toLowerCase())).size).toBe(contacts.length);
    expect(new Set(contacts.map((c) => c.guid)).size).toBe(contacts.length);
    const keys = JSON.stringify(Object.keys(contacts[0] ?? {}));
    for (const contact of contacts.slice(FAKER_CONTACTS)) expect(JSON.stringify(Object.keys(contact))).toBe(keys);
  });

  it("is a valid state by the admin spec's State schema", () => {
    const ajv = createAjv([{ id: "admin.json", doc: adminSpec }]);
    const validate = ajv.compile({ $ref: "admin.json#/components/schemas/State" });
    expect(validate(large()), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
