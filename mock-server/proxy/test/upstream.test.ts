/** `--upstream` read as users write it: the API's base URL with its path, or a bare origin (upstream.ts). */
import { describe, expect, it } from "vitest";
import { PUBLIC_PREFIX } from "../../mock-options.ts";
import { parseUpstream, UpstreamError, upstreamUrl } from "../upstream.ts";

describe("the upstream as users write it", () => {
  it.each([
    ["https://api.converseiq.com.au/public/v1", "https://api.converseiq.com.au/public/v1"],
    ["https://api.converseiq.com.au/public/v1/", "https://api.converseiq.com.au/public/v1"],
    ["http://127.0.0.1:4010/public/v1", "http://127.0.0.1:4010/public/v1"],
    ["http://127.0.0.1:4010", `http://127.0.0.1:4010${PUBLIC_PREFIX}`],
    ["http://127.0.0.1:4010/", `http://127.0.0.1:4010${PUBLIC_PREFIX}`],
    ["http://gateway.test/api/x", "http://gateway.test/api/x"],
  ])("takes %s as the API's base URL %s", (given, base) => {
    expect(parseUpstream(given).base).toBe(base);
  });

  it.each([
    ["https://api.example/public/v1", "/public/v1/contact?limit=2", "https://api.example/public/v1/contact?limit=2"],
    ["https://api.example", "/public/v1/contact?limit=2", "https://api.example/public/v1/contact?limit=2"],
    ["http://gateway.test/api/x", "/public/v1/contact/abc", "http://gateway.test/api/x/contact/abc"],
    ["http://gateway.test/api/x", "/public/v1?x=1", "http://gateway.test/api/x?x=1"],
    ["http://gateway.test/api/x", "/public/v1", "http://gateway.test/api/x"],
    // Outside the API's base path: the upstream's origin, the path as asked.
    ["http://gateway.test/api/x", "/public/v10/contact", "http://gateway.test/public/v10/contact"],
    ["http://gateway.test/api/x", "/health", "http://gateway.test/health"],
  ])("with --upstream %s, sends %s to %s", (given, url, target) => {
    expect(upstreamUrl(parseUpstream(given), url)).toBe(target);
  });

  it.each([
    ["nope", 'expected a URL, got "nope"'],
    ["ftp://api.example/public/v1", "expected http(s)"],
    ["https://api.example/public/v1?key=1", "with no query or fragment"],
  ])("refuses %s: %s", (given, message) => {
    expect(() => parseUpstream(given)).toThrow(UpstreamError);
    expect(() => parseUpstream(given)).toThrow(message);
  });
});
