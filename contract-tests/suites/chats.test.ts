/**
 * Chats and messages: who may start a chat and send in it (per channel type), the first message, the
 * title that defaults to the contact's name, messages newest first, and what deleting a chat takes along.
 */
import { describe, expect } from "vitest";
import { messagesAreNewestFirst } from "../checks/rules.ts";
import { createContact, ids, messagesOf, startChat } from "../support/data.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("chats");
const test = contractTest(target);
const { client } = target;
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("createChat", () => {
  test("stores the first message as the chat's first message, sent by the agent", ["writes"], async (ctx) => {
    const { agent, channel } = await ids(target);
    const chat = await startChat(target, {
      channel: need(ctx, channel, "no channel id known (set CONTRACT_CHANNEL_ID)"),
      agent: need(ctx, agent, "no team member id known"),
      message: target.label("hello"),
    });
    expect(chat).toMatchObject({ channel, agent, bot: null, contact: null, chatflow: 0 });
    const messages = await messagesOf(target, chat.guid);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ chat: chat.guid, message: target.label("hello"), sender_type: "agent", agent });
    const { data } = await client.GET("/chat/{chatId}", { params: { path: { chatId: chat.guid } } });
    expect(data).toEqual(chat);
  });

  test("may be on behalf of a bot", ["writes"], async (ctx) => {
    const { bot, channel } = await ids(target);
    const chat = await startChat(target, {
      channel: need(ctx, channel, "no channel id known"),
      bot: need(ctx, bot, "no bot id known (set CONTRACT_BOT_ID)"),
    });
    expect((await messagesOf(target, chat.guid))[0]?.sender_type).toBe("bot");
  });

  test(
    "may be on behalf of a contact in a LiveChatWeb channel, titled with the contact's name",
    ["writes"],
    async (ctx) => {
      const { liveChat } = await ids(target);
      const channel = need(ctx, liveChat, "no LiveChatWeb channel known (set CONTRACT_LIVECHAT_CHANNEL_ID)");
      const contact = await createContact(target);
      const chat = await startChat(target, { channel, contact: contact.guid });
      expect(chat).toMatchObject({ contact: contact.guid, title: contact.name });
      expect((await messagesOf(target, chat.guid))[0]).toMatchObject({ sender_type: "contact", contact: contact.guid });
    },
  );

  test("refuses a contact as the sender in any other channel: 400 sender_not_allowed", ["writes"], async (ctx) => {
    const { otherChannel } = await ids(target);
    const channel = need(ctx, otherChannel, "no channel known to be other than LiveChatWeb");
    const contact = await createContact(target);
    const { error, response } = await client.POST("/chat", {
      body: { channel, contact: contact.guid, message: target.label("hi") },
    });
    expect(response.status).toBe(400);
    expect(error?.code).toBe("sender_not_allowed");
  });

  test("keeps chatflow 1", ["writes"], async (ctx) => {
    const { agent, channel } = await ids(target);
    const chat = await startChat(target, {
      channel: need(ctx, channel, "no channel id known"),
      agent: need(ctx, agent, "no team member id known"),
      chatflow: 1,
    });
    expect(chat.chatflow).toBe(1);
  });

  test("needs at least one of agent, bot and contact: 400 otherwise", ["writes", "invalid"], async (ctx) => {
    const { channel } = await ids(target);
    const response = await target.request({
      method: "POST",
      path: "/chat",
      body: { channel: need(ctx, channel, "no channel id known"), message: "hi" },
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: "invalid_request" });
  });

  test("needs a channel and a non-empty message: 400 otherwise", ["writes", "invalid"], async (ctx) => {
    const { agent, channel } = await ids(target);
    need(ctx, agent && channel, "no channel or team member id known");
    for (const body of [
      { agent, message: "hi" },
      { channel, agent },
      { channel, agent, message: "" },
    ]) {
      const response = await target.request({ method: "POST", path: "/chat", body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  for (const field of ["channel", "agent", "bot", "contact"] as const) {
    test(`refuses an unknown ${field} with 400 invalid_reference naming it`, ["writes"], async (ctx) => {
      const { agent, channel } = await ids(target);
      const body = {
        channel: need(ctx, channel, "no channel id known"),
        agent: need(ctx, agent, "no team member id known"),
        message: "hi",
        [field]: UNKNOWN,
      };
      const response = await target.request({ method: "POST", path: "/chat", body });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: "invalid_reference", details: [{ field: `/${field}` }] });
    });
  }

  test("refuses chatflow other than 0 or 1 with 400", ["writes", "invalid"], async (ctx) => {
    const { agent, channel } = await ids(target);
    need(ctx, agent && channel, "no channel or team member id known");
    const response = await target.request({
      method: "POST",
      path: "/chat",
      body: { channel, agent, message: "hi", chatflow: 2 },
    });
    expect(response.status).toBe(400);
  });
});

describe("createChat and updateChat: the title of a chat", () => {
  const contactChat = async (ctx: Parameters<Parameters<typeof test>[2]>[0]) => {
    const { liveChat, agent } = await ids(target);
    const contact = await createContact(target);
    const chat = await startChat(target, {
      channel: need(ctx, liveChat, "no LiveChatWeb channel known"),
      agent: need(ctx, agent, "no team member id known"),
      contact: contact.guid,
    });
    return { contact, chat };
  };
  const rename = (chatId: string, title: string | null) =>
    client.PUT("/chat/{chatId}", { params: { path: { chatId } }, body: { title } });

  test("defaults to the contact's name, changes on PUT, and resets with null", ["writes"], async (ctx) => {
    const { contact, chat } = await contactChat(ctx);
    expect(chat.title).toBe(contact.name);
    expect((await rename(chat.guid, target.label("renamed"))).data?.title).toBe(target.label("renamed"));
    expect((await rename(chat.guid, null)).data?.title).toBe(contact.name);
  });

  test("resets to the contact's name with an empty string", ["writes"], async (ctx) => {
    const { contact, chat } = await contactChat(ctx);
    await rename(chat.guid, target.label("renamed"));
    const { data } = await rename(chat.guid, "");
    expect(data?.title).toBe(contact.name);
    const read = await client.GET("/chat/{chatId}", { params: { path: { chatId: chat.guid } } });
    expect(read.data?.title).toBe(contact.name);
  });

  test("must be given: a PUT without title is 400", ["writes", "invalid"], async (ctx) => {
    const { chat } = await contactChat(ctx);
    const response = await target.request({ method: "PUT", path: `/chat/${chat.guid}`, body: {} });
    expect(response.status).toBe(400);
  });
});

describe("createChatMessage, listChatMessages and getChatMessage: the messages of a chat", () => {
  test("are listed newest first", ["writes"], async (ctx) => {
    need(ctx, (await messagesAreNewestFirst(target)) || undefined, "no channel or team member id known");
  });

  test("can each be read by id, and only in their own chat", ["writes"], async (ctx) => {
    const { agent, channel } = await ids(target);
    need(ctx, agent && channel, "no channel or team member id known");
    const one = await startChat(target, { channel: channel as string, agent: agent as string });
    const other = await startChat(target, { channel: channel as string, agent: agent as string });
    const [message] = await messagesOf(target, one.guid);
    const path = { chatId: one.guid, messageId: message?.guid as string };
    expect((await client.GET("/chat/{chatId}/message/{messageId}", { params: { path } })).data).toEqual(message);
    const elsewhere = await client.GET("/chat/{chatId}/message/{messageId}", {
      params: { path: { ...path, chatId: other.guid } },
    });
    expect(elsewhere.response.status).toBe(404);
  });

  test("may come from the chat's contact in a LiveChatWeb channel", ["writes"], async (ctx) => {
    const { liveChat, agent } = await ids(target);
    const contact = await createContact(target);
    const chat = await startChat(target, {
      channel: need(ctx, liveChat, "no LiveChatWeb channel known"),
      agent: need(ctx, agent, "no team member id known"),
      contact: contact.guid,
    });
    const { data, response } = await client.POST("/chat/{chatId}/message", {
      params: { path: { chatId: chat.guid } },
      body: { message: "from the contact", contact: contact.guid },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ sender_type: "contact", contact: contact.guid });
  });

  test("may not come from a contact in another channel: 400 sender_not_allowed", ["writes"], async (ctx) => {
    const { otherChannel, agent } = await ids(target);
    const contact = await createContact(target);
    const chat = await startChat(target, {
      channel: need(ctx, otherChannel, "no channel known to be other than LiveChatWeb"),
      agent: need(ctx, agent, "no team member id known"),
      contact: contact.guid,
    });
    const { error, response } = await client.POST("/chat/{chatId}/message", {
      params: { path: { chatId: chat.guid } },
      body: { message: "from the contact", contact: contact.guid },
    });
    expect(response.status).toBe(400);
    expect(error?.code).toBe("sender_not_allowed");
  });

  test("cannot be posted to a chat that does not exist: 404", ["writes"], async (ctx) => {
    const { agent } = await ids(target);
    const { response } = await client.POST("/chat/{chatId}/message", {
      params: { path: { chatId: UNKNOWN } },
      body: { message: "hi", agent: need(ctx, agent, "no team member id known") },
    });
    expect(response.status).toBe(404);
  });
});

describe("deleteChat", () => {
  test("answers 200 with an empty body, then the chat and its messages are 404", ["writes"], async (ctx) => {
    const { agent, channel } = await ids(target);
    need(ctx, agent && channel, "no channel or team member id known");
    const chat = await startChat(target, { channel: channel as string, agent: agent as string });
    const [message] = await messagesOf(target, chat.guid);
    const response = await target.request({ method: "DELETE", path: `/chat/${chat.guid}` });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    for (const path of [
      `/chat/${chat.guid}`,
      `/chat/${chat.guid}/message`,
      `/chat/${chat.guid}/message/${message?.guid}`,
    ]) {
      expect((await target.request({ method: "GET", path })).status, path).toBe(404);
    }
    const post = await target.request({
      method: "POST",
      path: `/chat/${chat.guid}/message`,
      body: { message: "hi", agent },
    });
    expect(post.status).toBe(404);
    expect((await target.request({ method: "PUT", path: `/chat/${chat.guid}`, body: { title: "x" } })).status).toBe(
      404,
    );
    expect((await target.request({ method: "DELETE", path: `/chat/${chat.guid}` })).status).toBe(404);
  });
});

describe("listChats and getChat", () => {
  test("a listed chat reads the same by id", [], async (ctx) => {
    const { data } = await client.GET("/chat", { params: { query: { limit: 5 } } });
    const chat = need(ctx, data?.data[0], "the target has no chat");
    expect((await client.GET("/chat/{chatId}", { params: { path: { chatId: chat.guid } } })).data).toEqual(chat);
  });

  test("an unknown chat is 404", [], async () => {
    const { response } = await client.GET("/chat/{chatId}", { params: { path: { chatId: UNKNOWN } } });
    expect(response.status).toBe(404);
  });
});
