/**
 * What Node's HTTP server would answer on its own, bare or too early, over a real socket (127.0.0.1, port
 * 0): a request without Host, an `Expect` the mock cannot meet, and `Expect: 100-continue`, where the key
 * is checked before the body is invited. Nothing sleeps: each test waits for the server's bytes.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../app.ts";
import { API_KEY, expectErrorBody, PUBLIC_PREFIX, startMock } from "../helpers.ts";

let app: MockServer;
let port: number;
beforeAll(async () => {
  app = await startMock();
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = (app.server.address() as net.AddressInfo).port;
});
afterAll(() => app.close());

/**
 * Writes `head` on a fresh connection; once `100 Continue` comes, `body` too. Resolves with all the
 * server sent, once it closed the connection.
 */
function exchange(head: string, body?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(head));
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (body !== undefined && received.includes("100 Continue\r\n\r\n")) {
        socket.write(body);
        body = undefined;
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(received));
  });
}

/** The last answer in what a connection received: status, and its JSON body. */
function lastAnswer(received: string): { status: number; body: unknown } {
  const starts = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)];
  const last = starts.at(-1);
  if (!last) throw new Error(`no answer in ${JSON.stringify(received)}`);
  const text = received.slice((last.index ?? 0) + received.slice(last.index).indexOf("\r\n\r\n") + 4);
  return { status: Number(last[1]), body: JSON.parse(text) };
}

const contact = JSON.stringify({ name: "Expect Continue", email: "expect.continue@example.com" });
const postHead = (headers: string[]) =>
  [
    `POST ${PUBLIC_PREFIX}/contact HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(contact)}`,
    "Connection: close",
    ...headers,
    "",
    "",
  ].join("\r\n");

describe("Node's own answers", () => {
  it("to an HTTP/1.1 request without Host is a 400 with the Error body", async () => {
    const received = await exchange(`GET ${PUBLIC_PREFIX}/contact HTTP/1.1\r\nx-api-key: ${API_KEY}\r\n\r\n`);
    const answer = lastAnswer(received);
    expect(answer.status).toBe(400);
    expectErrorBody(answer.body, "no Host");
    expect(answer.body).toMatchObject({ code: "invalid_request", message: /Host header/ });
  });

  it("to an Expect other than 100-continue is a 400 with the Error body naming it", async () => {
    const received = await exchange(postHead([`x-api-key: ${API_KEY}`, "Expect: something-else"]));
    const answer = lastAnswer(received);
    expect(answer.status).toBe(400);
    expectErrorBody(answer.body, "bad Expect");
    expect(answer.body).toMatchObject({ code: "invalid_request", message: /something-else/ });
  });
});

describe("Expect: 100-continue", () => {
  it("without a valid key is answered 401 at once, with no 100 Continue and nothing stored", async () => {
    const before = JSON.stringify(app.store.snapshot());
    const received = await exchange(postHead(["x-api-key: wrong", "Expect: 100-continue"]), contact);
    expect(received).not.toContain("100 Continue");
    const answer = lastAnswer(received);
    expect(answer.status).toBe(401);
    expectErrorBody(answer.body, "401 before continue");
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
  });

  it("with a valid key gets 100 Continue, then the body is read and answered", async () => {
    const received = await exchange(postHead([`x-api-key: ${API_KEY}`, "Expect: 100-continue"]), contact);
    expect(received.startsWith("HTTP/1.1 100 Continue\r\n")).toBe(true);
    expect(lastAnswer(received)).toMatchObject({ status: 200, body: { email: "expect.continue@example.com" } });
  });
});
