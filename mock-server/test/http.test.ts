/**
 * A few tests over real HTTP (a socket on a free port, the global fetch), for what `inject` cannot show:
 * headers and bodies as they cross the wire. Every answer is checked against the spec in strict mode.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import type { MockServer } from "../app.ts";
import { BODY_LIMIT } from "../mock-options.ts";
import { API_KEY, expectErrorBody, fixtureOf, operationFor, PUBLIC_PREFIX, startMock } from "./helpers.ts";

const validate = createResponseValidator("strict");
const servers: MockServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((app) => app.close()));
});

/** A mock listening on a free port of 127.0.0.1, and its base URL. */
async function listening() {
  const app = await startMock();
  servers.push(app);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, base: `${address}${PUBLIC_PREFIX}` };
}

interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** Fetches, then checks the answer against the spec (or the Error shape when no operation matches). */
async function send(base: string, method: string, path: string, init: RequestInit = {}): Promise<Fetched> {
  const url = `${base}${path}`;
  const response = await fetch(url, {
    ...init,
    method,
    headers: { "x-api-key": API_KEY, ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await response.text();
  const headers = Object.fromEntries(response.headers.entries());
  const op = operationFor(method, new URL(url).pathname);
  let body: unknown;
  if (op) {
    const verdict = validate(op, { status: response.status, contentType: headers["content-type"], headers, text });
    expect(verdict.problems, `${method} ${path} answered ${response.status} ${text}`).toEqual([]);
    body = verdict.body;
  } else {
    body = JSON.parse(text);
    expectErrorBody(body, `${method} ${path}`);
  }
  return { status: response.status, headers: response.headers, text, body };
}

const json = (value: unknown): RequestInit => ({
  body: JSON.stringify(value),
  headers: { "content-type": "application/json" },
});

describe("over HTTP", () => {
  it("a contact round-trips: create, read, search, update, delete, then 404", async () => {
    const { base } = await listening();
    const created = await send(base, "POST", "/contact", json({ name: "Wire Walker", email: "Wire@Example.com" }));
    expect(created.status).toBe(200);
    const { guid } = created.body as { guid: string };

    const read = await send(base, "GET", `/contact/${guid}`);
    expect(read.body).toEqual(created.body);
    const found = await send(base, "GET", "/contact/search?email=wire%40example.com");
    expect((found.body as { data: { guid: string }[] }).data.map((c) => c.guid)).toEqual([guid]);

    const updated = await send(base, "PUT", `/contact/${guid}`, json({ city: "Hobart", name: null }));
    expect(updated.body).toMatchObject({ guid, city: "Hobart", name: null, email: "Wire@Example.com" });

    expect((await send(base, "DELETE", `/contact/${guid}`)).status).toBe(200);
    expect((await send(base, "GET", `/contact/${guid}`)).status).toBe(404);
  });

  it("a chat round-trips with its messages, newest first", async () => {
    const { app, base } = await listening();
    const f = fixtureOf(app);
    const chat = await send(
      base,
      "POST",
      "/chat",
      json({ channel: f.liveChatChannel, message: "first", agent: f.agent }),
    );
    const { guid } = chat.body as { guid: string };
    await send(base, "POST", `/chat/${guid}/message`, json({ message: "second", bot: f.bot }));
    const messages = await send(base, "GET", `/chat/${guid}/message`);
    expect((messages.body as { data: { message: string }[] }).data.map((m) => m.message)).toEqual(["second", "first"]);
  });

  it("DELETE answers 200 with an empty body and no content-type problems", async () => {
    const { app, base } = await listening();
    const f = fixtureOf(app);
    for (const path of [`/contact/${f.contact.guid}`, `/chat/${f.chat}`]) {
      const deleted = await send(base, "DELETE", path);
      expect(deleted.status).toBe(200);
      expect(deleted.text).toBe("");
      expect(deleted.headers.get("content-length") ?? "0").toBe("0");
      // No body, so no claim that there is JSON in it.
      expect(deleted.headers.get("content-type")).toBeNull();
    }
  });

  it("JSON answers say application/json", async () => {
    const { base } = await listening();
    const answer = await send(base, "GET", "/workspace");
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("a body over 1 MiB answers 413 with the Error body, and the server carries on", async () => {
    const { base } = await listening();
    const huge = await send(base, "POST", "/contact", json({ name: "x".repeat(BODY_LIMIT) }));
    expect(huge.status).toBe(413);
    expect((await send(base, "GET", "/workspace")).status).toBe(200);
  });

  it("bad percent-encoding in the path answers 400 with the Error body", async () => {
    const { base } = await listening();
    expect((await send(base, "GET", "/contact/%ff")).status).toBe(400);
  });

  it("an unknown route answers 404, and a wrong method 405 with Allow", async () => {
    const { base } = await listening();
    expect((await send(base, "GET", "/nope")).status).toBe(404);
    const wrong = await send(base, "PATCH", "/contact");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toMatch(/GET/);
  });

  it("no key answers 401, and the key is not echoed", async () => {
    const { base } = await listening();
    const response = await fetch(`${base}/workspace`, { headers: { "x-api-key": "wire-secret" } });
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text).not.toContain("wire-secret");
  });
});
