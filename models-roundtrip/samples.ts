/**
 * The responses a round trip carries: real answers of the seeded mock (in process, over `inject`), one
 * or more per response schema of the spec, among them the four the issue names (a page of contacts, a
 * chat, a page of messages, an error) and an error both with and without `details`.
 */
import { buildMockServer } from "../mock-server/app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-server/options.ts";

export interface Sample {
  /** What it is, in words, for test names. */
  name: string;
  /** The component schema it is an instance of (`#/components/schemas/<schema>`). */
  schema: string;
  body: unknown;
}

const MISSING_ID = "00000000-0000-4000-8000-000000000000";

export async function collectSamples(): Promise<Sample[]> {
  const app = await buildMockServer();
  try {
    const get = async (path: string, status = 200): Promise<Record<string, unknown>> => {
      const response = await app.inject({ url: `${PUBLIC_PREFIX}${path}`, headers: { "x-api-key": DEFAULT_API_KEY } });
      if (response.statusCode !== status) {
        throw new Error(`GET ${path} answered ${response.statusCode}, not ${status}: ${response.body}`);
      }
      return response.json() as Record<string, unknown>;
    };
    const first = (page: Record<string, unknown>): Record<string, unknown> => {
      const [item] = page.data as Record<string, unknown>[];
      if (!item) throw new Error("an empty page where the seed has items");
      return item;
    };

    const contacts = await get("/contact?limit=10");
    const chats = await get("/chat?limit=5");
    const chatId = String(first(chats).guid);
    const messages = await get(`/chat/${chatId}/message?limit=10`);
    const team = await get("/team");
    return [
      { name: "a page of contacts", schema: "ContactPage", body: contacts },
      { name: "a contact", schema: "Contact", body: await get(`/contact/${String(first(contacts).guid)}`) },
      { name: "a chat", schema: "Chat", body: await get(`/chat/${chatId}`) },
      { name: "a page of chats", schema: "ChatPage", body: chats },
      { name: "a page of messages", schema: "MessagePage", body: messages },
      {
        name: "a message",
        schema: "Message",
        body: await get(`/chat/${chatId}/message/${String(first(messages).guid)}`),
      },
      { name: "the workspace", schema: "Workspace", body: await get("/workspace") },
      { name: "the workspace owner", schema: "User", body: await get("/workspace/me") },
      { name: "a page of team members", schema: "TeamMemberPage", body: team },
      { name: "a team member", schema: "TeamMember", body: await get(`/team/${String(first(team).guid)}`) },
      { name: "an error with details", schema: "Error", body: await get("/contact?limit=1000", 400) },
      { name: "an error without details", schema: "Error", body: await get(`/contact/${MISSING_ID}`, 404) },
    ];
  } finally {
    await app.close();
  }
}
