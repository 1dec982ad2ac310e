/**
 * fetch(url, init) read without a Request gives the engine what a Request would: for each input and init,
 * engineRequestFromInit is held to toEngineRequest(new Request(url, init)), the same request or a TypeError
 * from both; a body only a Request encodes is left to one.
 */
import { describe, expect, it } from "vitest";
import { engineRequestFromInit } from "../fetch-init.ts";
import { parseBaseUrl, toEngineRequest } from "../web.ts";

const BASE = parseBaseUrl("https://api.example.test/public/v1");
const OTHER_BASE = parseBaseUrl("http://localhost:3000/api");
const URL_STRING = "https://api.example.test/public/v1/contact?page=2&limit=20";
const bytes = new TextEncoder().encode('{"email":"kim@example.com"}');

const CASES: [string, string | URL, RequestInit | undefined][] = [
  ["a URL alone", URL_STRING, undefined],
  ["a URL object", new URL(URL_STRING), {}],
  ["a path, read against the base URL's origin", "/public/v1/contact?limit=1", undefined],
  ["a URL to be normalised", "HTTPS://API.example.test:443/public/v1/./a/../contact?q=a b#frag", undefined],
  ["a URL with credentials", "https://user:pw@api.example.test/public/v1/contact", undefined],
  ["a URL that does not parse", "http://[bad", undefined],
  ["a relative URL", "contact", undefined],
  ["headers as a record, in any case", URL_STRING, { headers: { "X-Api-Key": " k1 ", Accept: "a/b" } }],
  [
    "headers as pairs, repeated",
    URL_STRING,
    {
      headers: [
        ["x-tag", "a"],
        ["X-Tag", "b"],
      ],
    },
  ],
  ["headers as a Headers", URL_STRING, { headers: new Headers({ "x-api-key": "k" }) }],
  ["a header name that is not a token", URL_STRING, { headers: { "bad name": "v" } }],
  ["a header value with a newline", URL_STRING, { headers: { "x-a": "a\nb" } }],
  ["a method in lower case", URL_STRING, { method: "delete" }],
  ["PATCH in lower case (kept as given)", URL_STRING, { method: "patch", body: "{}" }],
  ["an unknown method", URL_STRING, { method: "PURGE" }],
  ["a forbidden method", URL_STRING, { method: "trace" }],
  ["a method that is not a token", URL_STRING, { method: "GE T" }],
  ["a method of null, read as its text", URL_STRING, { method: null as unknown as string }],
  ["headers of null", URL_STRING, { headers: null as unknown as HeadersInit }],
  ["a text body", URL_STRING, { method: "POST", body: '{"a":1}' }],
  ["a text body with its content type", URL_STRING, { method: "POST", body: "{}", headers: { "Content-Type": "x/y" } }],
  ["an empty text body", URL_STRING, { method: "POST", body: "" }],
  ["a text body with a lone surrogate", URL_STRING, { method: "PUT", body: '{"a":"\uD800"}' }],
  ["a Uint8Array body", URL_STRING, { method: "POST", body: bytes }],
  ["a view into part of a buffer", URL_STRING, { method: "POST", body: new DataView(bytes.buffer, 2, 5) }],
  ["an ArrayBuffer body", URL_STRING, { method: "POST", body: bytes.buffer }],
  ["a null body", URL_STRING, { method: "POST", body: null }],
  ["a body on a GET", URL_STRING, { body: "x" }],
  ["a body on a HEAD in lower case", URL_STRING, { method: "head", body: "x" }],
];

/** What a step gives: its value, or the name of what it threw or rejected with. */
async function outcome(step: () => unknown): Promise<unknown> {
  try {
    return { value: await step() };
  } catch (error) {
    return { error: error instanceof Error ? error.name : String(error) };
  }
}

describe("engineRequestFromInit gives the engine what a Request would", () => {
  describe.each([
    ["the spec's base URL", BASE],
    ["a base URL of another path", OTHER_BASE],
  ])("under %s", (_, base) => {
    it.each(CASES)("for %s", async (_, input, init) => {
      const resolved = typeof input === "string" && input.startsWith("/") ? new URL(input, base.origin) : input;
      const lean = await outcome(() => engineRequestFromInit(input, init, base));
      const standard = await outcome(() => toEngineRequest(new Request(resolved, init), base));
      expect(lean).toEqual(standard);
    });
  });

  it("swaps a base URL's own path for the spec's, as for a Request", () => {
    const request = engineRequestFromInit("http://localhost:3000/api/contact?limit=1", undefined, OTHER_BASE);
    expect(request?.url).toBe("/public/v1/contact?limit=1");
  });

  it("copies a body of bytes, so that the caller changing it later changes nothing", () => {
    const body = new TextEncoder().encode("{}");
    const request = engineRequestFromInit(URL_STRING, { method: "POST", body }, BASE);
    body[0] = 0;
    expect(request?.body).toEqual(new TextEncoder().encode("{}"));
  });

  it.each([
    ["a Blob", () => new Blob(["{}"], { type: "application/json" })],
    ["URLSearchParams", () => new URLSearchParams({ a: "1" })],
    ["FormData", () => new FormData()],
    ["a stream", () => new Blob(["{}"]).stream()],
  ])("leaves a body of %s to a Request (undefined)", (_, body) => {
    expect(
      engineRequestFromInit(URL_STRING, { method: "POST", body: body(), duplex: "half" } as RequestInit, BASE),
    ).toBe(undefined);
  });
});
