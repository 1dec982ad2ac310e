/**
 * The fuzzing properties of one operation, for any target: requests derived from the spec (valid, or
 * with one part broken) sent `runs` times under a seed; the answers must be acceptable, conform (the
 * checker), and a rejected request must leave the mock's state as it was.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Operation } from "../../lib/spec.ts";
import { createContact, ids, messagesOf, startChat } from "../support/data.ts";
import { writes } from "../support/examples.ts";
import type { Target } from "../support/target.ts";
import { createDeriver, type Pools } from "./arbitraries.ts";
import { type FuzzRequest, requestArbitrary } from "./requests.ts";

/** Ids that exist on the target, by the names of the parameters and properties that hold them. */
export async function poolsFor(t: Target, op: Operation): Promise<Pools> {
  const fixtures = await t.fixtures();
  const base = {
    memberId: fixtures.team,
    agent: fixtures.team,
    bot: fixtures.bots,
    channel: fixtures.channels.map((c) => c.guid),
  };
  if (writes(op) && !t.control) {
    // Not a mock: write only to what this test made.
    const { agent, channel } = await ids(t);
    const contacts = [await createContact(t), await createContact(t)];
    const chat = agent && channel ? await startChat(t, { channel, agent }) : undefined;
    const messages = chat ? await messagesOf(t, chat.guid) : [];
    const contactIds = contacts.map((c) => c.guid);
    return {
      ...base,
      contactId: contactIds,
      contact: contactIds,
      email: contacts.map((c) => c.email as string),
      chatId: chat ? [chat.guid] : [],
      messageId: messages.map((m) => m.guid),
    };
  }
  // A mock's own data, through its admin API: no public operation is called, so a broken one (say
  // listContacts) leaves the fuzzing of the others untouched. Any other target is read through its lists.
  const known = t.control ? await t.control.snapshot() : undefined;
  const contacts = known
    ? known.contacts.slice(0, 100)
    : ((await t.client.GET("/contact", { params: { query: { limit: 100 } } })).data?.data ?? []);
  const chats = known
    ? known.chats.slice(0, 100)
    : ((await t.client.GET("/chat", { params: { query: { limit: 100 } } })).data?.data ?? []);
  const messages = known
    ? known.messages.filter((m) => chats.slice(0, 3).some((c) => c.guid === m.chat))
    : (await Promise.all(chats.slice(0, 3).map((c) => messagesOf(t, c.guid, 20)))).flat();
  return {
    ...base,
    contactId: contacts.map((c) => c.guid),
    contact: contacts.map((c) => c.guid),
    email: contacts.flatMap((c) => (c.email ? [c.email] : [])),
    chatId: chats.map((c) => c.guid),
    messageId: messages.map((m) => m.guid),
  };
}

/** Bodies of valid creates carry the run's prefix in what names them. */
const prefixed = (t: Target) => (body: unknown) => {
  if (typeof body !== "object" || body === null) return body;
  const named = { ...(body as Record<string, unknown>) };
  for (const key of ["name", "message"]) if (typeof named[key] === "string") named[key] = `${t.prefix} ${named[key]}`;
  return named;
};

/** The answers a valid request may get: 2xx, or a documented 4xx for references that do not exist. */
function expectAcceptable(op: Operation, status: number, body: unknown, request: FuzzRequest): void {
  const code = (body as { code?: string } | undefined)?.code;
  const ok =
    (status >= 200 && status < 300) ||
    ((status === 404 || status === 409) && op.responses.has(String(status))) ||
    (status === 400 && (code === "invalid_reference" || code === "sender_not_allowed"));
  expect(ok, `${op.id} answered ${status} ${code ?? ""} to a valid request: ${JSON.stringify(request)}`).toBe(true);
}

export async function fuzzOperation(
  target: Target,
  op: Operation,
  mode: "valid" | "invalid",
  { runs, seed }: { runs: number; seed: number },
): Promise<{ rejected: number }> {
  const deriver = createDeriver({ pools: await poolsFor(target, op) });
  const arbitrary = requestArbitrary(op, deriver, mode, mode === "valid" ? prefixed(target) : undefined);
  const fingerprint = writes(op) ? target.control?.fingerprint : undefined;
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => {
      const before = fingerprint ? await fingerprint() : undefined;
      const response = await target.request(request);
      if (mode === "valid") expectAcceptable(op, response.status, response.json, request);
      else expect(response.status, `${op.id} with ${request.broken} broken: ${JSON.stringify(request)}`).toBe(400);
      if (response.status >= 400) {
        rejected++;
        if (before !== undefined)
          expect(await fingerprint?.(), `${op.id} ${response.status} changed the state`).toBe(before);
      }
    }),
    { numRuns: runs, seed, includeErrorInReport: true },
  );
  return { rejected };
}
