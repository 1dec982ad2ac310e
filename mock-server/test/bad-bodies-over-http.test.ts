/**
 * Bodies too large or too slow, over a real socket (127.0.0.1, a free port): what `inject` cannot show is
 * whether a client still sending can read the answer, and whether the connection is left in a usable
 * state. Every answer is checked against the spec in strict mode, and every failed request changed nothing.
 * Nothing here sleeps: each test waits for the answer or for the server to close the connection.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import type { MockServer } from "../app.ts";
import { BODY_LIMIT } from "../mock-options.ts";
import { DRAIN_LIMIT } from "../transports/bodies.ts";
import { API_KEY, operation, PUBLIC_PREFIX, startMock } from "./helpers.ts";

const validate = createResponseValidator("strict");
const createContact = operation("createContact");
const MiB = 1024 * 1024;
/** Short, so the 408s of bodies that really stop come quickly; nothing depends on it beyond "eventually". */
const BODY_TIMEOUT_MS = 200;
/**
 * For bodies that keep coming: long enough that no pause of a busy machine between two chunks can pass
 * for a stalled body (a run beside two CPU-bound processes once saw a 408 for a 64 MiB body at 200 ms).
 */
const PATIENT_TIMEOUT_MS = 60_000;

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((app) => app.close()));
});

/** A mock on a free port of 127.0.0.1, and what its store holds now (to show that nothing changed). */
async function listening(bodyTimeoutMs = PATIENT_TIMEOUT_MS) {
  const app = await startMock({}, { bodyTimeoutMs });
  servers.push(app);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as net.AddressInfo;
  const stored = JSON.stringify(app.store.snapshot());
  return { app, port, base: `http://127.0.0.1:${port}${PUBLIC_PREFIX}`, unchanged: () => stored };
}

const state = (app: MockServer) => JSON.stringify(app.store.snapshot());

/** A JSON body of `size` bytes or a little more. */
const jsonOf = (size: number) => JSON.stringify({ name: "x".repeat(size) });

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Checks an answer to POST /contact against the spec, and gives its Error code. */
function codeOf(answer: { status: number; headers: Record<string, string>; text: string }): string {
  const verdict = validate(createContact, { ...answer, contentType: answer.headers["content-type"] });
  expect(verdict.problems, `${answer.status} ${answer.text}`).toEqual([]);
  return (verdict.body as { code: string }).code;
}

/** The HTTP/1.1 answers in what a connection received, in order. */
function parseAnswers(received: Buffer): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < received.length) {
    const end = received.indexOf("\r\n\r\n", at);
    if (end === -1) break;
    const [statusLine = "", ...lines] = received.subarray(at, end).toString("latin1").split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    const text = received.subarray(end + 4, end + 4 + length).toString("utf8");
    answers.push({ status: Number(statusLine.split(" ")[1]), headers, text });
    at = end + 4 + length;
  }
  return answers;
}

const write = (socket: net.Socket, data: string | Buffer) =>
  new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));

/**
 * A raw connection: `send` writes to it (each write waits until the data is handed to the system); the
 * result comes once the server has closed the connection: the answers received, and the error that
 * stopped the writes, if one did.
 */
async function exchange(port: number, send: (socket: net.Socket) => Promise<void>) {
  const socket = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  let writeError: string | undefined;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", (error: NodeJS.ErrnoException) => {
    writeError ??= error.code ?? error.message;
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  try {
    await send(socket);
  } catch (error) {
    writeError ??= (error as NodeJS.ErrnoException).code ?? String(error);
  }
  await closed;
  return { answers: parseAnswers(Buffer.concat(chunks)), writeError };
}

const JSON_WITH_KEY = { "x-api-key": API_KEY, "content-type": "application/json" };

/** The head of a POST /contact with these headers (the key and JSON content type unless `base` says otherwise). */
const head = (headers: Record<string, string>, base: Record<string, string> = JSON_WITH_KEY) =>
  `POST ${PUBLIC_PREFIX}/contact HTTP/1.1\r\nHost: localhost\r\n` +
  Object.entries({ ...base, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("") +
  "\r\n";

const GET_WORKSPACE_THEN_CLOSE = `GET ${PUBLIC_PREFIX}/workspace HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${API_KEY}\r\nConnection: close\r\n\r\n`;

/** Writes `size` bytes, `step` at a time. */
async function writeBytes(socket: net.Socket, size: number, step = MiB, frame = (chunk: Buffer) => chunk) {
  for (let sent = 0; sent < size; sent += step) {
    await write(socket, frame(Buffer.alloc(Math.min(step, size - sent), "x")));
  }
}

const chunked = (chunk: Buffer) =>
  Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);

describe("a body over the limit, over a real socket", () => {
  it("a 12 MiB JSON POST through fetch answers 413 with the Error body, and the server carries on", async () => {
    const { app, base, unchanged } = await listening();
    const response = await fetch(`${base}/contact`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: jsonOf(12 * MiB),
    });
    const answer = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text: await response.text(),
    };
    expect(answer.status).toBe(413);
    expect(codeOf(answer)).toBe("payload_too_large");
    expect(answer.text).not.toContain("xxxx");
    const next = await fetch(`${base}/workspace`, { headers: { "x-api-key": API_KEY } });
    expect(next.status).toBe(200);
    expect(state(app)).toBe(unchanged());
    // The coverage counts the server's 413 as createContact's (GET /__admin/coverage).
    const createContact = app.engine.coverage.report().operations.find((op) => op.operationId === "createContact");
    expect(createContact?.statuses.find((s) => s.status === 413)?.count).toBe(1);
  });

  it("a chunked body over the limit (no Content-Length) through fetch answers 413", async () => {
    const { app, base, unchanged } = await listening();
    const bytes = new TextEncoder().encode(jsonOf(12 * MiB));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${base}/contact`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const answer = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text: await response.text(),
    };
    expect(answer.status).toBe(413);
    expect(codeOf(answer)).toBe("payload_too_large");
    expect(state(app)).toBe(unchanged());
  });

  it.each([
    ["with a Content-Length", { "content-length": String(12 * MiB) }, (chunk: Buffer) => chunk, ""],
    ["chunked", { "transfer-encoding": "chunked" }, chunked, "0\r\n\r\n"],
  ])(
    "%s, a client that sends all 12 MiB before reading has every byte taken, then the 413, and the connection serves its next request",
    async (_, headers, frame, last) => {
      const { app, port, unchanged } = await listening();
      const { answers, writeError } = await exchange(port, async (socket) => {
        await write(socket, head(headers));
        await writeBytes(socket, 12 * MiB, MiB, frame);
        await write(socket, last);
        await write(socket, GET_WORKSPACE_THEN_CLOSE);
      });
      expect(writeError).toBeUndefined();
      expect(answers.map((a) => a.status)).toEqual([413, 200]);
      expect(codeOf(answers[0] as RawAnswer)).toBe("payload_too_large");
      expect(state(app)).toBe(unchanged());
    },
  );

  it.each([
    ["chunked, once more than the bound has been read", { "transfer-encoding": "chunked" }, chunked],
    ["with a Content-Length over the bound, at once", { "content-length": String(DRAIN_LIMIT + 1) }, (c: Buffer) => c],
  ])(
    "past the bound (%s), the connection is closed, and the server serves the next request",
    async (_, headers, frame) => {
      const { app, port, base, unchanged } = await listening();
      const { answers } = await exchange(port, async (socket) => {
        await write(socket, head(headers));
        // More than the server reads: it closes the connection part way, and the writes then fail. (Were it
        // to keep it open, `exchange` would never return and the test would time out.)
        await writeBytes(socket, DRAIN_LIMIT + BODY_LIMIT + 4 * MiB, MiB, frame);
      });
      // The client may or may not have read the 413 before the connection closed; if it did, it is a 413.
      for (const answer of answers) expect(codeOf(answer)).toBe("payload_too_large");
      const next = await fetch(`${base}/workspace`, { headers: { "x-api-key": API_KEY } });
      expect(next.status).toBe(200);
      expect(state(app)).toBe(unchanged());
    },
  );
});

describe("a body that stops arriving, over a real socket", () => {
  it.each([
    ["10 of the 100 bytes its Content-Length announces", { "content-length": "100" }, Buffer.from('{"name": "')],
    ["part of a chunked body", { "transfer-encoding": "chunked" }, chunked(Buffer.from('{"name": "'))],
    ["2 MiB of a 12 MiB body over the limit", { "content-length": String(12 * MiB) }, Buffer.alloc(2 * MiB, "x")],
  ])("%s: 408 with the Error body, then the server closes the connection", async (_, headers, start) => {
    const { app, port, unchanged } = await listening(BODY_TIMEOUT_MS);
    const { answers, writeError } = await exchange(port, async (socket) => {
      await write(socket, head(headers));
      await write(socket, start);
      // Then nothing: `exchange` waits for the server to close the connection.
    });
    expect(writeError).toBeUndefined();
    expect(answers.map((a) => a.status)).toEqual([408]);
    const answer = answers[0] as RawAnswer;
    expect(codeOf(answer)).toBe("request_timeout");
    expect(answer.headers.connection).toBe("close");
    expect(state(app)).toBe(unchanged());
  });

  it.each([
    ["401, no key", { "content-type": "application/json" }, 401, "unauthorized"],
    ["415, not JSON", { "x-api-key": API_KEY, "content-type": "text/plain" }, 415, "unsupported_media_type"],
  ])(
    "answered before its body was read (%s), and the rest never comes: the server closes the connection",
    async (_, base, status, code) => {
      const { app, port, unchanged } = await listening(BODY_TIMEOUT_MS);
      const { answers, writeError } = await exchange(port, async (socket) => {
        await write(socket, head({ "content-length": "100" }, base));
        await write(socket, '{"name": "');
      });
      expect(writeError).toBeUndefined();
      expect(answers.map((a) => a.status)).toEqual([status]);
      expect(codeOf(answers[0] as RawAnswer)).toBe(code);
      expect(state(app)).toBe(unchanged());
    },
  );
});
