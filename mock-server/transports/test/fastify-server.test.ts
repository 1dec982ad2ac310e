/**
 * The mock's Fastify server over a real socket (127.0.0.1, port 0): what it adds to the engine's answers, and how
 * it frames the bodies it cannot hand over whole. Bodies too large or too slow in general are in
 * test/bad-bodies-over-http.test.ts; here, what this transport decides itself. Nothing sleeps: each test
 * waits for an answer or for the server to close the connection.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineResponse, HandleRequest } from "../../engine/types.ts";
import { BODY_LIMIT } from "../../mock-options.ts";
import { API_KEY, PUBLIC_PREFIX, startMock } from "../../test/helpers.ts";
import { createFastifyServer } from "../fastify-server.ts";
import { loggerOption } from "../request-log.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A transport over a stand-in for the engine, listening; the lines it logs. */
async function transportOver(handle: HandleRequest) {
  const lines: string[] = [];
  const app = createFastifyServer({
    api: { handle, bodyLimit: () => BODY_LIMIT, refuse: () => ({ status: 500, headers: {} }), now: () => 0 },
    bodyTimeoutMs: 60_000,
    logger: loggerOption(true, "pretty", (line) => lines.push(line)),
  });
  const origin = await app.listen({ port: 0, host: "127.0.0.1" });
  closers.push(() => app.close());
  return { origin, lines };
}

/** The mock on a free port, with a short body timeout. */
async function mockListening(options: Parameters<typeof startMock>[1] = {}) {
  const app = await startMock({}, { bodyTimeoutMs: 200, ...options });
  closers.push(() => app.close());
  const origin = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, origin, port: (app.server.address() as net.AddressInfo).port };
}

/** Writes `request` on a fresh connection and resolves, once the server closed it, with all it received. */
function exchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const statuses = (received: string) => [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe("the transport", () => {
  it("sets content-length to the body's UTF-8 byte length, and sends none on a 204", async () => {
    const answers: Record<string, EngineResponse> = {
      "/text": { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "Zoë ✓" },
      "/bytes": { status: 200, headers: {}, body: new Uint8Array([1, 2, 3]) },
      "/empty": { status: 200, headers: {} },
      "/none": { status: 204, headers: {} },
    };
    const { origin } = await transportOver(async (request) => answers[request.url] as EngineResponse);
    const text = await fetch(`${origin}/text`);
    expect(text.headers.get("content-length")).toBe("8");
    expect(await text.text()).toBe("Zoë ✓");
    expect((await fetch(`${origin}/bytes`)).headers.get("content-length")).toBe("3");
    expect((await fetch(`${origin}/empty`)).headers.get("content-length")).toBe("0");
    const none = await fetch(`${origin}/none`);
    expect(none.status).toBe(204);
    expect(none.headers.get("content-length")).toBeNull();
  });

  it("hands the engine the method, the path with its query, lower-case headers and the body as sent", async () => {
    let seen: Parameters<HandleRequest>[0] | undefined;
    const { origin } = await transportOver(async (request) => {
      seen = request;
      return { status: 200, headers: {} };
    });
    await fetch(`${origin}/public/v1/contact?page=2`, {
      method: "POST",
      headers: { "X-Api-Key": "k", "Content-Type": "application/json" },
      body: '{"name":"Zoë"}',
    });
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/public/v1/contact?page=2");
    expect(seen?.headers["x-api-key"]).toBe("k");
    expect(new TextDecoder().decode(seen?.body as Uint8Array)).toBe('{"name":"Zoë"}');
  });

  it("logs one line per request: method, path and query, status, time and a refusal's reason, never a header", async () => {
    const refusal = { code: "not_found", message: "No contact has this id." };
    const { origin, lines } = await transportOver(async () => ({
      status: 404,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(refusal),
    }));
    await fetch(`${origin}/public/v1/contact?limit=2`, { headers: { "x-api-key": "key-not-to-log" } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^GET \/public\/v1\/contact\?limit=2 404 \d+\.\dms not_found: No contact has this id\.\n$/,
    );
    expect(lines.join("")).not.toContain("key-not-to-log");
  });

  it("logs pino's JSON lines with --log-format json: the same fields, no header", async () => {
    const lines: string[] = [];
    const app = createFastifyServer({
      api: {
        handle: async () => ({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" }),
        bodyLimit: () => BODY_LIMIT,
        refuse: () => ({ status: 500, headers: {} }),
        now: () => 0,
      },
      bodyTimeoutMs: 60_000,
      logger: loggerOption(true, "json", (line) => lines.push(line)),
    });
    closers.push(() => app.close());
    await app.inject({ url: "/public/v1/workspace?x=1", headers: { "x-api-key": "key-not-to-log" } });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ method: "GET", path: "/public/v1/workspace", query: "x=1", status: 200 });
    expect(typeof records[0]?.ms).toBe("number");
    expect(lines.join("")).not.toContain("key-not-to-log");
  });

  it("answers a failure of its own as a 500 in the spec's Error shape, and serves on", async () => {
    let calls = 0;
    const { origin } = await transportOver(async () => {
      calls++;
      if (calls === 1) throw new Error("boom");
      return { status: 200, headers: {} };
    });
    const failed = await fetch(`${origin}/x`);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { code: string }).code).toBe("internal_error");
    expect((await fetch(`${origin}/x`)).status).toBe(200);
  });
  it.each([
    ["bytes that are not HTTP", "NOT HTTP AT ALL\r\n\r\n", 400, "invalid_request"],
    ["a request line over 16 KiB", `GET /${"a".repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`, 431, "headers_too_large"],
    [
      "headers over 16 KiB",
      `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"b".repeat(20_000)}\r\n\r\n`,
      431,
      "headers_too_large",
    ],
  ])(
    "answers %s, which Node's parser refuses, with %i and the spec's Error body, then closes",
    async (_, request, status, code) => {
      let handled = 0;
      const { origin } = await transportOver(async () => {
        handled++;
        return { status: 200, headers: {} };
      });
      const received = await exchange(Number(new URL(origin).port), request);
      expect(statuses(received)).toEqual([status]);
      const [head, body] = received.split("\r\n\r\n") as [string, string];
      expect(head).toContain("content-type: application/json; charset=utf-8");
      expect(head).toContain("connection: close");
      expect(head).toContain(`content-length: ${Buffer.byteLength(body)}`);
      expect(JSON.parse(body)).toMatchObject({ code, message: expect.any(String) });
      expect(handled).toBe(0);
      expect((await fetch(`${origin}/x`)).status).toBe(200);
    },
  );
});

describe("bodies, on the mock", () => {
  it("refuses a body over the limit sent with a workspace's key 413, as with the mock's own key", async () => {
    const { origin } = await mockListening();
    const made = await fetch(`${origin}/__admin/workspaces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    const { apiKey } = (await made.json()) as { apiKey: string };
    const tooLarge = await fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ name: "x".repeat(BODY_LIMIT) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { code: string }).code).toBe("payload_too_large");
  });

  it("takes a state over the public limit at PUT /__admin/state, and refuses those bytes on a public route", async () => {
    const { origin } = await mockListening();
    await fetch(`${origin}/__admin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contacts: 6000 }),
    });
    const state = await (await fetch(`${origin}/__admin/state`)).text();
    expect(state.length).toBeGreaterThan(BODY_LIMIT);
    const json = { "content-type": "application/json" };
    const put = await fetch(`${origin}/__admin/state`, { method: "PUT", headers: json, body: state });
    expect(put.status).toBe(200);
    const post = await fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { ...json, "x-api-key": API_KEY },
      body: state,
    });
    expect(post.status).toBe(413);
  });

  it("answers a body over the limit without a key 401 once it is read, and the connection serves the next request", async () => {
    const { port } = await mockListening();
    const size = BODY_LIMIT + 1024;
    const head = `POST ${PUBLIC_PREFIX}/contact HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`;
    const next = `GET ${PUBLIC_PREFIX}/workspace HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${API_KEY}\r\nConnection: close\r\n\r\n`;
    const received = await exchange(
      port,
      Buffer.concat([Buffer.from(head), Buffer.alloc(size, "x"), Buffer.from(next)]),
    );
    expect(statuses(received)).toEqual([401, 200]);
  });

  it("sends a stalled body's 408 with the request's CORS headers, and records it in the journal", async () => {
    const { app, port } = await mockListening({ cors: ["http://app.test"] });
    const received = await exchange(
      port,
      `POST ${PUBLIC_PREFIX}/contact HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.test\r\nx-api-key: ${API_KEY}\r\n` +
        'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"name": "',
    );
    expect(statuses(received)).toEqual([408]);
    expect(received).toMatch(/^access-control-allow-origin: http:\/\/app\.test$/m);
    const last = app.journal.list().data.at(-1);
    expect(last).toMatchObject({ method: "POST", path: `${PUBLIC_PREFIX}/contact`, status: 408 });
    expect(last?.operationId).toBe("createContact");
  });

  it("answers a GET without waiting for its body, and closes the connection when the rest stops arriving", async () => {
    const { port } = await mockListening();
    const received = await exchange(
      port,
      `GET ${PUBLIC_PREFIX}/workspace HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${API_KEY}\r\ncontent-length: 100\r\n\r\n{"a":`,
    );
    expect(statuses(received)).toEqual([200]);
  });
});
