/**
 * The page's script: the kit's MSW handlers in a service worker (`setupWorker`), and the typed client
 * calling the live API's URL as an application would. Every request is answered in the page by one engine,
 * so what one request changes the next one sees. What happened is left in `window.__result` (and shown on
 * the page) for the test to read: mock-server/transports/test/msw-worker.browser.test.ts.
 */
import { setupWorker } from "msw/browser";
import { createClient } from "../../../../client/index.ts";
import { createHandlers } from "../../msw.ts";

/** One request the page made: what it was for, and the status it got. */
export interface Step {
  step: string;
  status: number;
}

export interface PageResult {
  /** Set when the walk stopped on a thrown error: its stack. */
  error?: string;
  steps: Step[];
  contact?: string;
  /** The contacts the search by email found (the one created, in another case). */
  found?: string[];
  /** The chat's title at each turn: when started, renamed, read back, reset with null. */
  titles?: { started: string | null; renamed: string | null; readBack: string | null; reset: string | null };
  /** The chat's messages, newest first: [sender_type, text]. */
  messages?: [string, string][];
  /** The deleted contact read again: status and error code. */
  afterDelete?: { status: number; code: string | undefined };
  /** What the search by email counts once the contact is deleted. */
  searchAfterDelete?: number;
  /** The webhook events the mock told, in process. */
  events?: string[];
}

declare global {
  interface Window {
    __result?: PageResult;
  }
}

const steps: Step[] = [];
const result: PageResult = { steps };

/** Records the step and hands back its data, or stops the walk with what the API said. */
function expectData<T>(step: string, answer: { data?: T; error?: unknown; response: Response }): T {
  steps.push({ step, status: answer.response.status });
  if (answer.data === undefined) throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  return answer.data;
}

async function walk(): Promise<void> {
  const mock = createHandlers();
  const worker = setupWorker(...mock.handlers);
  // Anything the handlers do not take is an error, not a request to the network.
  await worker.start({ onUnhandledRequest: "error", quiet: true });

  // The ids the public API cannot list (channels, team), from the admin API: through the worker too.
  const origin = new URL(mock.baseUrl).origin;
  const fixturesResponse = await fetch(`${origin}/__admin/fixtures`);
  steps.push({ step: "fixtures", status: fixturesResponse.status });
  const fixtures = (await fixturesResponse.json()) as { owner: string; channels: { guid: string; type: string }[] };
  const liveChat = fixtures.channels.find((channel) => channel.type === "LiveChatWeb");
  if (!liveChat) throw new Error("the seed has no LiveChatWeb channel");

  // No baseUrl and no fetch: the client calls the live API's URL with the page's fetch, as in production.
  const client = createClient({ apiKey: mock.apiKey });

  const contact = expectData(
    "create contact",
    await client.POST("/contact", { body: { name: "Olivia Brown", email: "olivia.brown@example.com" } }),
  );
  result.contact = contact.guid;

  const found = expectData(
    "search contact by email",
    await client.GET("/contact/search", { params: { query: { email: "Olivia.Brown@EXAMPLE.com" } } }),
  );
  result.found = found.data.map((c) => c.guid);

  const chat = expectData(
    "start chat",
    await client.POST("/chat", {
      body: { channel: liveChat.guid, contact: contact.guid, message: "Hello, my e-bike will not start." },
    }),
  );
  const path = { chatId: chat.guid };
  expectData(
    "send message",
    await client.POST("/chat/{chatId}/message", {
      params: { path },
      body: { agent: fixtures.owner, message: "Could you send us a photo of the serial number?" },
    }),
  );
  const renamed = expectData(
    "rename chat",
    await client.PUT("/chat/{chatId}", { params: { path }, body: { title: "Warranty claim" } }),
  );
  const readBack = expectData("read chat", await client.GET("/chat/{chatId}", { params: { path } }));
  const reset = expectData(
    "reset chat title",
    await client.PUT("/chat/{chatId}", { params: { path }, body: { title: null } }),
  );
  result.titles = { started: chat.title, renamed: renamed.title, readBack: readBack.title, reset: reset.title };

  const messages = expectData("list messages", await client.GET("/chat/{chatId}/message", { params: { path } }));
  result.messages = messages.data.map((m) => [m.sender_type, m.message]);

  const contactPath = { params: { path: { contactId: contact.guid } } };
  const deleted = await client.DELETE("/contact/{contactId}", contactPath);
  steps.push({ step: "delete contact", status: deleted.response.status });
  const gone = await client.GET("/contact/{contactId}", contactPath);
  steps.push({ step: "read deleted contact", status: gone.response.status });
  result.afterDelete = { status: gone.response.status, code: gone.error?.code };
  const searchAgain = expectData(
    "search deleted contact",
    await client.GET("/contact/search", { params: { query: { email: "olivia.brown@example.com" } } }),
  );
  result.searchAfterDelete = searchAgain.total;

  result.events = (await mock.events()).map((event) => event.event);
}

walk().then(
  () => finish(result),
  (error: unknown) =>
    finish({ ...result, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);

function finish(outcome: PageResult): void {
  const shown = document.getElementById("result");
  if (shown) shown.textContent = JSON.stringify(outcome, null, 2);
  window.__result = outcome;
}
