/**
 * The reference's rules as a client sees them over the API: the store's answers mapped to the spec's
 * statuses and error codes. (The rules themselves are unit-tested in store/*.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { Page } from "../../generated/rules.ts";
import { buildMockServer } from "../app.ts";
import { DEFAULT_SEED } from "../store/seed.ts";
import { call, errorOf, fixtureOf, startMock, UNKNOWN_ID } from "./helpers.ts";

interface Contact {
  guid: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}
interface Chat {
  guid: string;
  title: string | null;
  contact: string | null;
  chatflow: number;
}

describe("contacts over the API", () => {
  it("answers 409 email_taken for another contact's email in any case, on POST and PUT", async () => {
    const app = await startMock();
    const [first, second] = fixtureOf(app).state.contacts;
    const taken = first?.email?.toUpperCase();
    const post = await call(app, { method: "POST", path: "/contact", json: { email: taken } });
    expect(post.status).toBe(409);
    expect(errorOf(post)).toMatchObject({ code: "email_taken", details: [{ in: "body", field: "/email" }] });
    const put = await call(app, { method: "PUT", path: `/contact/${second?.guid}`, json: { email: taken } });
    expect(put.status).toBe(409);
  });

  it("after DELETE: GET, PUT and DELETE of the id are 404, and the email is free", async () => {
    const app = await startMock();
    const { contact } = fixtureOf(app);
    const path = `/contact/${contact.guid}`;
    expect((await call(app, { method: "DELETE", path })).status).toBe(200);
    expect((await call(app, { path })).status).toBe(404);
    expect((await call(app, { method: "PUT", path, json: { name: "Back" } })).status).toBe(404);
    expect((await call(app, { method: "DELETE", path })).status).toBe(404);
    const search = await call<Page<Contact>>(app, {
      path: `/contact/search?email=${encodeURIComponent(contact.email)}`,
    });
    expect(search.body.total).toBe(0);
    const reused = await call(app, { method: "POST", path: "/contact", json: { email: contact.email } });
    expect(reused.status).toBe(200);
  });

  it("PUT changes only the fields given; null clears one", async () => {
    const app = await startMock();
    const { contact } = fixtureOf(app);
    const path = `/contact/${contact.guid}`;
    const before = (await call<Contact>(app, { path })).body;
    const after = (await call<Contact>(app, { method: "PUT", path, json: { phone: "+61 400 000 000", name: null } }))
      .body;
    expect(after).toEqual({ ...before, phone: "+61 400 000 000", name: null, updated_at: expect.any(String) });
  });

  it("POST with no field at all creates a contact whose every field is null", async () => {
    const app = await startMock();
    const created = await call<Record<string, unknown>>(app, { method: "POST", path: "/contact", json: {} });
    expect(created.status).toBe(200);
    const { guid, created_at, updated_at, ...fields } = created.body;
    expect(Object.values(fields).every((v) => v === null)).toBe(true);
  });
});

describe("chats over the API", () => {
  it("refuses an unknown channel, agent, bot or contact with 400 invalid_reference, naming each", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    for (const field of ["channel", "agent", "bot", "contact"]) {
      const json = { channel: f.liveChatChannel, message: "hi", agent: f.agent, [field]: UNKNOWN_ID };
      const answer = await call(app, { method: "POST", path: "/chat", json });
      expect(answer.status, field).toBe(400);
      expect(errorOf(answer), field).toMatchObject({ code: "invalid_reference", details: [{ field: `/${field}` }] });
      expect(errorOf(answer).message, field).toContain(field);
    }
  });

  it("refuses a contact as sender outside LiveChatWeb with 400 sender_not_allowed", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const other = f.state.channels.find((c) => c.type !== "LiveChatWeb");
    const answer = await call(app, {
      method: "POST",
      path: "/chat",
      json: { channel: other?.guid, message: "hi", contact: f.contact.guid },
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe("sender_not_allowed");
  });

  it("stores the first message, keeps chatflow, and titles the chat with the contact's name", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const name = f.state.contacts.find((c) => c.guid === f.contact.guid)?.name;
    const created = await call<Chat>(app, {
      method: "POST",
      path: "/chat",
      json: { channel: f.liveChatChannel, message: "Hello there", contact: f.contact.guid, chatflow: 1 },
    });
    expect(created.body).toMatchObject({ title: name, contact: f.contact.guid, chatflow: 1 });
    const messages = await call<Page<{ message: string; sender_type: string }>>(app, {
      path: `/chat/${created.body.guid}/message`,
    });
    expect(messages.body.data).toEqual([expect.objectContaining({ message: "Hello there", sender_type: "contact" })]);
  });

  it('PUT with title null or "" resets the title to the contact\'s name', async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const chat = f.state.chats.find((c) => c.contact !== null);
    const name = f.state.contacts.find((c) => c.guid === chat?.contact)?.name;
    const path = `/chat/${chat?.guid}`;
    expect((await call<Chat>(app, { method: "PUT", path, json: { title: "Renamed" } })).body.title).toBe("Renamed");
    for (const title of [null, ""]) {
      await call(app, { method: "PUT", path, json: { title: "Renamed" } });
      expect((await call<Chat>(app, { method: "PUT", path, json: { title } })).body.title).toBe(name);
    }
  });

  it("after DELETE: the chat, its messages and posting to it are 404", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    expect((await call(app, { method: "DELETE", path: `/chat/${f.chat}` })).status).toBe(200);
    expect((await call(app, { path: `/chat/${f.chat}` })).status).toBe(404);
    expect((await call(app, { path: `/chat/${f.chat}/message` })).status).toBe(404);
    expect((await call(app, { path: `/chat/${f.chat}/message/${f.message}` })).status).toBe(404);
    const post = await call(app, {
      method: "POST",
      path: `/chat/${f.chat}/message`,
      json: { message: "hi", agent: f.agent },
    });
    expect(post.status).toBe(404);
  });

  it("posting to an unknown chat is 404", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const post = await call(app, {
      method: "POST",
      path: `/chat/${UNKNOWN_ID}/message`,
      json: { message: "hi", agent: f.agent },
    });
    expect(post.status).toBe(404);
  });

  it("deleting a contact leaves its chats, with contact null", async () => {
    const app = await startMock();
    const f = fixtureOf(app);
    const chat = f.state.chats.find((c) => c.contact !== null);
    await call(app, { method: "DELETE", path: `/contact/${chat?.contact}` });
    const after = await call<Chat>(app, { path: `/chat/${chat?.guid}` });
    expect(after.status).toBe(200);
    expect(after.body.contact).toBeNull();
  });
});

describe("seeded data over the API", () => {
  it("is byte-identical across restarts with the same seed, whatever the clock", async () => {
    const paths = ["/workspace", "/workspace/me", "/team", "/contact?limit=100", "/chat?limit=100"];
    const texts = async () => {
      const app = await buildMockServer({ apiKeys: ["k"], seed: { ...DEFAULT_SEED, seed: 99, contacts: 60 } });
      const f = fixtureOf(app);
      const all = [...paths, `/chat/${f.chat}/message?limit=100`];
      const answers = await Promise.all(all.map((path) => call(app, { path, key: "k" })));
      await app.close();
      return answers.map((a) => a.text);
    };
    expect(await texts()).toEqual(await texts());
  });
});
