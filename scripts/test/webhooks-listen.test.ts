/**
 * `npm run webhooks:listen`: the receiver prints a line per event and says whether its body is what the
 * spec describes; with the mock subscribed to it, an action on the mock shows up as a valid event.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listWebhooks } from "../../lib/webhooks.ts";
import { buildMockServer } from "../../mock-server/app.ts";
import { PUBLIC_PREFIX } from "../../mock-server/mock-options.ts";
import { type Listener, type ListenOptions, startListener } from "../webhooks-listen.ts";

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function listen(options: Partial<ListenOptions> = {}): Promise<{ listener: Listener; lines: string[] }> {
  const lines: string[] = [];
  const listener = await startListener({ port: 0, print: (line) => lines.push(line), ...options });
  opened.push(listener);
  return { listener, lines };
}

const post = (url: string, body: string) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

const example = listWebhooks().find((hook) => hook.event === "contact.created")?.example as Record<string, unknown>;

describe("webhooks:listen", () => {
  it("prints a valid event on one line: time, event, object GUID, valid", async () => {
    const { listener, lines } = await listen();
    const response = await post(listener.url, JSON.stringify(example));
    expect(response.status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}contact\.created +5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d {2}valid$/);
  });

  it("says what is wrong with a body the spec does not describe", async () => {
    const { listener, lines } = await listen();
    await post(listener.url, JSON.stringify({ ...example, ts: "yesterday", signature: "abc" }));
    expect(lines[0]).toContain("INVALID: (body) must NOT have additional properties (signature); /ts must be integer");
  });

  it("allows properties the spec does not list with --tolerant, and prints bodies with --body", async () => {
    const { listener, lines } = await listen({ tolerant: true, body: true });
    await post(listener.url, JSON.stringify({ ...example, signature: "abc" }));
    expect(lines[0]).toMatch(/valid$/);
    expect(lines[1]).toContain('    "event": "contact.created"');
  });

  it("answers 400 to a body that is not JSON, and the status asked for to the rest", async () => {
    const { listener, lines } = await listen({ status: 500 });
    expect((await post(listener.url, "{nope")).status).toBe(400);
    expect(lines[0]).toMatch(/not JSON \(5 bytes\): answered 400$/);
    expect((await post(listener.url, JSON.stringify(example))).status).toBe(500);
    expect((await fetch(listener.url)).status).toBe(405);
  });

  it("shows what an action on a subscribed mock causes", async () => {
    const { listener, lines } = await listen();
    const app = await buildMockServer({
      apiKeys: ["k"],
      webhooks: { endpoints: [{ url: listener.url, events: ["*"] }] },
    });
    opened.push(app);
    const created = await app.inject({
      method: "POST",
      url: `${PUBLIC_PREFIX}/contact`,
      headers: { "x-api-key": "k" },
      payload: { name: "Nora New" },
    });
    const guid = created.json<{ guid: string }>().guid;
    // The listener prints the line before it answers, so once the delivery has ended the line is there.
    await app.webhooks.idle();
    expect(lines).toEqual([expect.stringMatching(new RegExp(`contact\\.created +${guid}  valid$`))]);
  });
});
