/**
 * Rules of the reference as functions of a target, shared by the suites and the mutation tests.
 * Each throws when the target breaks the rule.
 */
import { expect } from "vitest";
import type { Page } from "../../generated/rules.ts";
import { ids, messagesOf, startChat } from "../support/data.ts";
import type { Target } from "../support/target.ts";

/** Messages are listed newest first, across pages too. Returns false when no agent or channel is known. */
export async function messagesAreNewestFirst(target: Target): Promise<boolean> {
  const { agent, bot, channel } = await ids(target);
  if (!agent || !channel) return false;
  const chat = await startChat(target, { channel, agent, message: "first" });
  for (const message of ["second", "third", "fourth"]) {
    const sender = bot && message === "third" ? { bot } : { agent };
    const { response } = await target.client.POST("/chat/{chatId}/message", {
      params: { path: { chatId: chat.guid } },
      body: { message, ...sender } as { message: string; agent: string },
    });
    expect(response.status).toBe(200);
  }
  expect((await messagesOf(target, chat.guid)).map((m) => m.message)).toEqual(["fourth", "third", "second", "first"]);
  const page2 = await target.client.GET("/chat/{chatId}/message", {
    params: { path: { chatId: chat.guid }, query: { limit: 3, page: 2 } },
  });
  expect(page2.data?.data.map((m) => m.message)).toEqual(["first"]);
  return true;
}

/** `pages = ceil(total / limit)` for a list, at several limits. */
export async function pagesAreCounted(target: Target, path: string, query: Record<string, string> = {}): Promise<void> {
  for (const limit of [1, 3, 7, 20, 100]) {
    const { status, json } = await target.request({ method: "GET", path, query: { ...query, limit } });
    expect(status).toBe(200);
    const { pages, total } = json as Page<unknown>;
    expect(pages, `${path} limit ${limit}, total ${total}`).toBe(Math.ceil(total / limit));
  }
}
