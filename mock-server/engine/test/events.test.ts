/**
 * The webhook events in process (`createEventLog`): each change the store makes, told as the body the
 * spec's webhook describes, to a callback and into a bounded list, with no HTTP receiver.
 */
import { describe, expect, it } from "vitest";
import { createWebhookValidator, type WebhookPayload } from "../../../lib/webhooks.ts";
import { seedState } from "../../store/seed.ts";
import { Store } from "../../store/store.ts";
import { fixedOptions, ids, tinySnapshot } from "../../test/store-fixtures.ts";
import { createEventLog, type EventLogOptions } from "../events.ts";

const validate = createWebhookValidator("strict");

/** The mock's clock as the log reads it, and the `ts` it gives. */
const AT = "2026-03-04T05:06:07.890Z";
const TS = Math.floor(Date.parse(AT) / 1000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function logging(options: EventLogOptions = {}) {
  const store = new Store(tinySnapshot(), fixedOptions());
  const told: WebhookPayload[] = [];
  const log = createEventLog(store, { now: () => AT, onEvent: (event) => told.push(event), ...options });
  return { store, log, told };
}

describe("createEventLog", () => {
  it("tells a contact created through the store as contact.created, in the spec's envelope", () => {
    const { store, log, told } = logging();
    const contact = store.createContact({ name: "Cleo", email: "cleo@example.com" });

    const [event] = log.list();
    expect(Object.keys(event ?? {})).toEqual(["event", "id", "ts", "data"]);
    expect(event).toEqual({
      event: "contact.created",
      id: expect.stringMatching(UUID),
      ts: TS,
      data: { workspace: ids.workspace, guid: contact.guid, contact },
    });
    expect(validate(event)).toEqual({ event: "contact.created", problems: [] });
    expect(told).toEqual([event]);
  });

  it("tells each event once, as soon as the change is made, in order: a new chat, then its first message", () => {
    const { store, told } = logging();
    const chat = store.createChat({ channel: ids.whatsApp, message: "Hi", agent: ids.agent });
    expect(told.map((e) => [e.event, e.data.guid])).toEqual([
      ["chat.created", chat.guid],
      ["chat.message.created", expect.any(String)],
    ]);
    expect(new Set(told.map((e) => e.id)).size).toBe(2);
  });

  it("gives every event of the public API's changes a body that validates, strictly, against its webhook", () => {
    const { store, log } = logging();
    const contact = store.createContact({ name: "Cleo" });
    store.updateContact(contact.guid, { phone: "+61 400 000 000" });
    const chat = store.createChat({ channel: ids.liveChat, contact: contact.guid, message: "Hello" });
    store.createChatMessage(chat.guid, { message: "Hi Cleo", agent: ids.agent });
    store.deleteChat(chat.guid);
    store.deleteContact(contact.guid);

    const events = log.list();
    expect(events.map((e) => e.event)).toEqual([
      "contact.created",
      "contact.updated",
      "chat.created",
      "chat.message.created",
      "chat.message.created",
      "chat.deleted",
      "contact.deleted",
    ]);
    for (const event of events) expect(validate(event).problems, event.event).toEqual([]);
  });

  it("keeps telling after the store's state is replaced, as an admin reset or import does", () => {
    const { store, log } = logging();
    store.replace(seedState({ seed: 3, contacts: 2, chats: 0, team: 1, channels: 1, bots: 0 }));
    store.createContact({ name: "After the reset" });
    expect(log.list().map((e) => [e.event, e.data.workspace])).toEqual([
      ["contact.created", store.getWorkspace().guid],
    ]);
  });

  it("keeps the latest `capacity` events, oldest first, and clear() empties the list", () => {
    const { store, log, told } = logging({ capacity: 2 });
    const names = ["A", "B", "C"];
    for (const name of names) store.createContact({ name });
    expect(log.list().map((e) => (e.event === "contact.created" ? e.data.contact.name : e.event))).toEqual(["B", "C"]);
    expect(told).toHaveLength(3);

    log.clear();
    expect(log.list()).toEqual([]);
    store.createContact({ name: "D" });
    expect(log.list()).toHaveLength(1);
  });

  it("hands out objects of its own: changing what list() or onEvent gave changes neither the log nor the store", () => {
    const { store, log, told } = logging();
    const contact = store.createContact({ name: "Cleo" });
    for (const event of [...log.list(), ...told]) {
      if (event.event === "contact.created") event.data.contact.name = "Changed";
    }
    const [event] = log.list();
    expect(event?.event === "contact.created" && event.data.contact.name).toBe("Cleo");
    expect(store.getContact(contact.guid).name).toBe("Cleo");
  });

  it("reports an onEvent that throws to onError, and the change stands", () => {
    const errors: unknown[] = [];
    const { store, log } = logging({
      onEvent: () => {
        throw new Error("a receiver's bug");
      },
      onError: (error) => errors.push(error),
    });
    const contact = store.createContact({ name: "Cleo" });
    expect(store.getContact(contact.guid).name).toBe("Cleo");
    expect(errors).toEqual([new Error("a receiver's bug")]);
    expect(log.list()).toHaveLength(1);
  });

  it("tells nothing of a change that failed, nor anything once closed", () => {
    const { store, log, told } = logging();
    expect(() => store.createContact({ name: "Alice again", email: "alice@example.com" })).toThrow();
    log.close();
    store.createContact({ name: "Cleo" });
    expect(told).toEqual([]);
    expect(log.list()).toEqual([]);
  });

  it("refuses a capacity that is not a whole number of events", () => {
    const store = new Store(tinySnapshot(), fixedOptions());
    for (const capacity of [-1, 1.5, Number.NaN]) {
      expect(() => createEventLog(store, { capacity })).toThrow(RangeError);
    }
  });
});
