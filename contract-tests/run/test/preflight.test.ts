import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_BASE_PATH } from "../../../generated/rules.ts";
import { buildMockServer, type MockServer } from "../../../mock-server/app.ts";
import { preflight } from "../preflight.ts";
import { runContract } from "../runner.ts";
import { contract } from "./contract-command.ts";
import { deadPort } from "./dead-port.ts";

const KEY = "mock-api-key";

/** A server on a free loopback port that answers every request with `answer`. */
async function serve(answer: { status: number; type: string; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, reply) => {
    reply.writeHead(answer.status, { "content-type": answer.type });
    reply.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${API_BASE_PATH}`, server };
}

describe("the preflight", { timeout: 60_000 }, () => {
  let mock: MockServer;
  let mockUrl: string;
  let html: { url: string; server: Server };
  let refusing: { url: string; server: Server };
  let dead: string;
  beforeAll(async () => {
    mock = await buildMockServer({ logger: false });
    mockUrl = `${await mock.listen({ port: 0, host: "127.0.0.1" })}${API_BASE_PATH}`;
    html = await serve({ status: 200, type: "text/html", body: "<!doctype html><h1>Welcome</h1>" });
    refusing = await serve({
      status: 401,
      type: "application/json",
      body: JSON.stringify({ error: { code: "unauthorized", message: "Invalid API key." } }),
    });
    dead = `http://127.0.0.1:${await deadPort()}${API_BASE_PATH}`;
  });
  afterAll(async () => {
    html?.server.close();
    refusing?.server.close();
    await mock?.close();
  });

  it("lets a run against a mock with its key go ahead", async () => {
    expect(await preflight({ baseUrl: mockUrl, apiKey: KEY })).toEqual({ ok: true });
  });

  it("says a target nothing listens on cannot be reached, and why", async () => {
    const result = await preflight({ baseUrl: dead, apiKey: KEY });
    expect(result).toMatchObject({ ok: false, problem: "unreachable" });
    expect(result.ok || result.message).toBe(
      `Cannot reach ${dead} (connection refused): is the server running, and is the base URL right?`,
    );
  });

  it("says a server that answers HTML is not this API", async () => {
    const result = await preflight({ baseUrl: html.url, apiKey: KEY });
    expect(result).toMatchObject({ ok: false, problem: "not-this-api" });
    expect(result.ok || result.message).toContain("text/html");
    expect(result.ok || result.message).toContain("/public/v1");
  });

  it("says a base URL that misses the API's path is not this API (the mock's 404)", async () => {
    const origin = mockUrl.slice(0, -API_BASE_PATH.length);
    expect(await preflight({ baseUrl: origin, apiKey: KEY })).toMatchObject({ ok: false, problem: "not-this-api" });
  });

  it("says a gateway whose server is down cannot reach it, and leaves a server error of the list to the suites", async () => {
    const gateway = await serve({ status: 502, type: "text/html", body: "<h1>502 Bad Gateway</h1>" });
    const failing = await serve({ status: 500, type: "text/plain", body: "oops" });
    try {
      const result = await preflight({ baseUrl: gateway.url, apiKey: KEY });
      expect(result).toMatchObject({ ok: false, problem: "unreachable" });
      expect(result.ok || result.message).toContain("502 from a gateway");
      expect(await preflight({ baseUrl: failing.url, apiKey: KEY })).toEqual({ ok: true });
    } finally {
      gateway.server.close();
      failing.server.close();
    }
  });

  it("says a refused key is refused, and that a missing one is missing, never printing the key", async () => {
    const wrong = await preflight({ baseUrl: mockUrl, apiKey: "not-the-key" });
    expect(wrong).toMatchObject({ ok: false, problem: "key-refused" });
    expect(wrong.ok || wrong.message).toContain("refused the API key");
    expect(wrong.ok || wrong.message).not.toContain("not-the-key");
    const none = await preflight({ baseUrl: mockUrl, apiKey: undefined });
    expect(none).toMatchObject({ ok: false, problem: "key-refused" });
    expect(none.ok || none.message).toContain("needs an API key");
  });

  it("gives up after its time limit when the target never answers", async () => {
    // What fetch rejects with once the preflight's AbortSignal.timeout fires, given at once: no waiting.
    const timedOut: typeof fetch = () => Promise.reject(new DOMException("The operation timed out.", "TimeoutError"));
    const result = await preflight({ baseUrl: mockUrl, apiKey: KEY, fetch: timedOut });
    expect(result).toMatchObject({ ok: false, problem: "unreachable" });
    expect(result.ok || result.message).toMatch(/no answer within \d+ s/);
  });

  it("makes runContract resolve to exit 2 with the line, before any suite", async () => {
    const result = await runContract({ baseUrl: refusing.url, apiKey: KEY, suites: ["contacts"] });
    expect(result).toMatchObject({
      ok: false,
      exitCode: 2,
      tests: { passed: 0, failed: 0, skipped: 0 },
      problem: { kind: "key-refused" },
    });
  });

  it.each([
    ["unreachable", () => dead, "Cannot reach"],
    ["answering HTML", () => html.url, "does not answer as the ConverseIQ API"],
    ["refusing the key", () => refusing.url, "refused the API key"],
  ])(
    "makes converseiq-contract against a target %s print one line and exit 2, running no suite",
    async (_, url, line) => {
      const { code, output } = await contract(["--base-url", url(), "--api-key", KEY, "--suite", "contacts"]);
      expect(code).toBe(2);
      expect(output.trim().split("\n")).toHaveLength(1);
      expect(output).toContain(line);
      expect(output).not.toContain("Contract summary");
    },
  );

  it("makes that line a GitHub annotation too with --reporter github", async () => {
    const { code, stdout, stderr } = await contract(["--base-url", dead, "--api-key", KEY, "--reporter", "github"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^converseiq-contract: Cannot reach /);
    expect(stdout).toMatch(/^::error title=converseiq-contract could not run::Cannot reach /m);
  });
});
