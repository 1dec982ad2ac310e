/**
 * The fetch adapter's Response (LeanResponse) against the platform's: for each body and each way of
 * reading it, `new LeanResponse(body, init)` gives what `new Response(sameBody, sameInit)` gives (the
 * value, or the kind of error), and leaves the same traces (bodyUsed, a locked stream). Then toResponse:
 * the answers with no body are the platform's own.
 */
import { describe, expect, it } from "vitest";
import { LeanResponse } from "../lean-response.ts";
import { toResponse } from "../web.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** Bodies as the engine gives them: text, or bytes. */
const BODIES: [string, string | Uint8Array][] = [
  ["JSON text", JSON.stringify({ data: [{ name: "Kim" }], page: 2 })],
  ["text beyond ASCII", JSON.stringify({ name: "Zoë 東京 🙂" })],
  ["text opening with a byte order mark", '\uFEFF{"a":1}'],
  ["text with a lone surrogate", '{"a":"\uD800"}'],
  ["text that is not JSON", "not json"],
  ["bytes", encode('{"bytes":true}')],
  ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
];

const INIT: ResponseInit = {
  status: 201,
  statusText: "Created",
  headers: { "content-type": "application/json; charset=utf-8", "x-request-id": "r1" },
};

type Outcome = { value: unknown } | { error: string };

/** What a step gives: its value, or the name of what it threw or rejected with. */
async function outcome(step: () => unknown): Promise<Outcome> {
  try {
    return { value: await step() };
  } catch (error) {
    return { error: error instanceof Error ? error.name : String(error) };
  }
}

async function readStream(stream: ReadableStream<Uint8Array> | null): Promise<number[] | null> {
  if (stream === null) return null;
  const reader = stream.getReader();
  const bytes: number[] = [];
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes.push(...read.value);
  return bytes;
}

const blobOf = async (blob: Blob) => ({ type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] });

/** Ways of reading a response: each returns what can be seen of it, steps and traces. */
const BEHAVIOURS: [string, (response: Response) => Promise<unknown>][] = [
  ["text()", async (r) => [await outcome(() => r.text()), r.bodyUsed]],
  ["json()", async (r) => [await outcome(() => r.json()), r.bodyUsed]],
  ["arrayBuffer()", async (r) => [await outcome(async () => [...new Uint8Array(await r.arrayBuffer())]), r.bodyUsed]],
  ["bytes()", async (r) => [await outcome(async () => [...(await r.bytes())]), r.bodyUsed]],
  ["blob()", async (r) => [await outcome(async () => blobOf(await r.blob())), r.bodyUsed]],
  [
    "the body stream, read by getReader",
    async (r) => {
      const stream = r.body;
      return [r.bodyUsed, stream === r.body, await readStream(stream), r.bodyUsed, r.body?.locked];
    },
  ],
  [
    "the body stream with a BYOB reader",
    async (r) => {
      const reader = r.body?.getReader({ mode: "byob" });
      const read = await reader?.read(new Uint8Array(64));
      return [read?.done, read?.value?.byteLength, r.bodyUsed];
    },
  ],
  ["bodyUsed before and after a read", async (r) => [r.bodyUsed, await r.text(), r.bodyUsed]],
  [
    "a second read, of each kind, after text()",
    async (r) => {
      await r.text();
      const reads = [() => r.text(), () => r.json(), () => r.arrayBuffer(), () => r.bytes(), () => r.blob()];
      return [await Promise.all(reads.map(outcome)), r.bodyUsed, r.body?.locked];
    },
  ],
  [
    "the body stream asked for after text()",
    async (r) => {
      await r.text();
      return [r.body === null, r.body?.locked, r.bodyUsed, await outcome(() => r.body?.getReader())];
    },
  ],
  [
    "a read while the stream is locked by a reader",
    async (r) => {
      r.body?.getReader();
      return [r.bodyUsed, await outcome(() => r.text()), await outcome(() => r.clone())];
    },
  ],
  [
    "a cancelled stream",
    async (r) => {
      await r.body?.cancel();
      return [r.bodyUsed, await outcome(() => r.text())];
    },
  ],
  [
    "clone(), then both read",
    async (r) => {
      const copy = r.clone();
      return [
        copy instanceof Response,
        copy.status,
        copy.statusText,
        [...copy.headers],
        await outcome(() => copy.text()),
        r.bodyUsed,
        await outcome(() => r.text()),
        copy.bodyUsed,
      ];
    },
  ],
  [
    "clone(), then one read as a stream and one as text",
    async (r) => {
      const copy = r.clone();
      return [await readStream(copy.body), await outcome(() => r.text())];
    },
  ],
  [
    "clone() after the stream was asked for",
    async (r) => {
      const stream = r.body;
      const copy = r.clone();
      return [await outcome(() => copy.text()), await readStream(r.body), stream?.locked];
    },
  ],
  ["clone() after a read", async (r) => [await r.arrayBuffer(), await outcome(() => r.clone())]],
  [
    "the head",
    async (r) => [r instanceof Response, r.status, r.statusText, r.ok, [...r.headers], r.type, r.url, r.redirected],
  ],
  ["its description", async (r) => Object.prototype.toString.call(r)],
];

describe("LeanResponse, read as a standard Response is", () => {
  describe.each(BODIES)("a body of %s", (_, body) => {
    it.each(BEHAVIOURS)("%s", async (_, behaviour) => {
      const standard = new Response(typeof body === "string" ? body : new Uint8Array(body), INIT);
      const lean = new LeanResponse(body, INIT);
      expect(await behaviour(lean)).toEqual(await behaviour(standard));
    });
  });

  it("reads formData() as a standard Response does", async () => {
    const init = { headers: { "content-type": "application/x-www-form-urlencoded" } };
    const entries = async (r: Response) => [...(await r.formData())];
    expect(await entries(new LeanResponse("a=1&b=%C3%A9", init))).toEqual(
      await entries(new Response("a=1&b=%C3%A9", init)),
    );
  });

  it("keeps the engine's bytes its own: a read copy changed or a clone read leaves the body as it was", async () => {
    const body = encode("abc");
    const lean = new LeanResponse(body, {});
    const copy = lean.clone();
    const read = await lean.bytes();
    read[0] = 0x7a;
    expect(await copy.text()).toBe("abc");
    expect([...body]).toEqual([...encode("abc")]);
  });
});

describe("toResponse", () => {
  it.each([
    ["a 204", { status: 204, headers: {} }, "GET"],
    ["a 304", { status: 304, headers: { etag: '"1"' } }, "GET"],
    ["an empty 200 (a DELETE)", { status: 200, headers: {} }, "DELETE"],
    ["a 200 of an empty text", { status: 200, headers: {}, body: "" }, "GET"],
    ["a HEAD's 200", { status: 200, headers: { "content-type": "application/json" }, body: '{"a":1}' }, "HEAD"],
  ])("answers %s with the platform's own Response and a null body", async (_, engineResponse, method) => {
    const response = toResponse(engineResponse, method);
    expect(response).not.toBeInstanceOf(LeanResponse);
    expect(response.body).toBeNull();
    expect([await response.text(), await response.text(), response.bodyUsed]).toEqual(["", "", false]);
  });

  it.each([
    ["a 204", 204, "GET", undefined, null],
    ["an empty 200", 200, "DELETE", undefined, "0"],
    ["a HEAD, with the length a GET gets", 200, "HEAD", "é", "2"],
    ["a text, its length in UTF-8 bytes", 200, "GET", "é🙂\uD800", "9"],
    ["bytes", 200, "GET", new Uint8Array(5), "5"],
  ])("says the Content-Length of %s", (_, status, method, body, length) => {
    const response = toResponse({ status, headers: {}, ...(body !== undefined ? { body } : {}) }, method);
    expect(response.headers.get("content-length")).toBe(length);
  });

  it("counts a text longer than the scratch space as an encoder does", () => {
    const text = "é".repeat(40_000);
    const response = toResponse({ status: 200, headers: {}, body: text }, "GET");
    expect(response.headers.get("content-length")).toBe(String(encode(text).byteLength));
  });
});
