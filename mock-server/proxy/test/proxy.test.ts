/**
 * The validating proxy in front of the mock (the mock stands in for the live API), and in front of a proxy
 * that breaks one rule of the spec (contract-tests/run/editing-proxy.ts), so that violations are really found.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ADDED_PROPERTY,
  addDrift,
  breakContacts,
  startEditingProxy,
} from "../../../contract-tests/run/editing-proxy.ts";
import { MAX_BODY_BYTES } from "../../../generated/rules.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../../mock-options.ts";
import { startProxy, type ValidatingProxy, VIOLATIONS_PATH } from "../index.ts";
import type { Exchange } from "../types.ts";

const KEY = DEFAULT_API_KEY;
let mock: MockServer;
let upstream: string;
const started: ValidatingProxy[] = [];

beforeAll(async () => {
  mock = await buildMockServer({ logger: false });
  upstream = await mock.listen({ port: 0 });
});
afterAll(() => mock.close());
afterEach(async () => {
  for (const proxy of started.splice(0)) await proxy.close();
});

async function proxyTo(target: string, options: Partial<Parameters<typeof startProxy>[0]> = {}) {
  const lines: string[] = [];
  const proxy = await startProxy({ upstream: target, apiKey: KEY, log: (line) => lines.push(line), ...options });
  started.push(proxy);
  return { proxy, lines };
}

const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("the upstream, as the API's base URL or its origin", () => {
  it("forwards /public/v1/... to the base URL given with its path, as the mock prints it, as to the bare origin", async () => {
    const direct = await fetch(`${upstream}${PUBLIC_PREFIX}/contact?limit=2`, { headers: { "x-api-key": KEY } });
    const expected = await direct.json();
    for (const target of [`${upstream}${PUBLIC_PREFIX}`, `${upstream}${PUBLIC_PREFIX}/`, upstream]) {
      const { proxy } = await proxyTo(target);
      const answer = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=2`);
      expect(answer.status, target).toBe(200);
      expect(await answer.json(), target).toEqual(expected);
      expect(proxy.upstream.base).toBe(`${upstream}${PUBLIC_PREFIX}`);
    }
  });

  it("forwards to a base URL whose path is not /public/v1: the base URL plus the rest of the path", async () => {
    // An API gateway that serves the API under /api/x (the mock behind it).
    const seen: string[] = [];
    const gateway = createServer(async (request, response) => {
      const url = request.url as string;
      seen.push(url);
      if (!url.startsWith("/api/x/")) {
        response.writeHead(404).end();
        return;
      }
      const answer = await fetch(`${upstream}${PUBLIC_PREFIX}${url.slice("/api/x".length)}`, {
        headers: { "x-api-key": String(request.headers["x-api-key"]) },
      });
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = gateway.address() as AddressInfo;
      const { proxy } = await proxyTo(`http://127.0.0.1:${port}/api/x`);
      const answer = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`);
      expect(answer.status).toBe(200);
      expect(seen).toEqual(["/api/x/workspace"]);
      expect(proxy.violations()).toEqual([]);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});
describe("the validating proxy", () => {
  it("passes a GET's answer through byte for byte, with the --api-key when the caller sends none", async () => {
    const { proxy } = await proxyTo(upstream);
    const direct = await fetch(`${upstream}${PUBLIC_PREFIX}/contact?limit=3`, { headers: { "x-api-key": KEY } });
    const through = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=3`);
    expect(through.status).toBe(200);
    expect(through.headers.get("content-type")).toBe(direct.headers.get("content-type"));
    expect(await bytes(through)).toEqual(await bytes(direct));
    expect(proxy.violations()).toEqual([]);
  });

  it("forwards the caller's own key rather than --api-key", async () => {
    const { proxy } = await proxyTo(upstream, { apiKey: "not-a-key" });
    expect((await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`)).status).toBe(401);
    const own = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`, { headers: { "x-api-key": KEY } });
    expect(own.status).toBe(200);
  });

  it("refuses a POST with 403 forbidden unless --allow-writes, and forwards it with", async () => {
    const body = JSON.stringify({ name: "Ada Proxy", email: "ada.proxy@example.com" });
    const post = (origin: string) =>
      fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const { proxy: readOnly } = await proxyTo(upstream);
    const refused = await post(readOnly.origin);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "forbidden" });

    const exchanges: Exchange[] = [];
    const { proxy: writable } = await proxyTo(upstream, { allowWrites: true, onExchange: (e) => exchanges.push(e) });
    const created = await post(writable.origin);
    expect(created.status).toBe(200);
    expect(exchanges).toEqual([
      expect.objectContaining({
        operationId: "createContact",
        method: "POST",
        status: 200,
        body: await created.json(),
      }),
    ]);
    expect(writable.violations()).toEqual([]);
  });

  it("answers a body over the spec's limit 413 and one that stops arriving 408, forwarding neither", async () => {
    const exchanges: Exchange[] = [];
    const { proxy } = await proxyTo(upstream, {
      allowWrites: true,
      bodyTimeoutMs: 200,
      onExchange: (e) => exchanges.push(e),
    });
    const tooLarge = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ code: "payload_too_large" });

    // Headers and 10 of the 100 bytes announced, then nothing: the proxy answers once the body timeout passes.
    const { port } = new URL(proxy.origin);
    const received = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`POST ${PUBLIC_PREFIX}/contact HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n`);
        socket.write('content-length: 100\r\n\r\n{"name": "');
      });
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('"code":"request_timeout"');
    expect(exchanges).toEqual([]);
  });

  it("answers 502 upstream_unreachable when the upstream cannot be reached", async () => {
    // Port 0 is never listened on: a connection to it is refused at once (a port freed a moment ago could
    // be taken by another process in between).
    const { proxy } = await proxyTo("http://127.0.0.1:0");
    const answer = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`);
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({ code: "upstream_unreachable" });
  });

  it("answers 504 upstream_timeout when the upstream holds the request past the timeout", async () => {
    const held: IncomingMessage[] = [];
    const silent: Server = createServer((request) => held.push(request));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const { proxy } = await proxyTo(`http://127.0.0.1:${port}`, { timeoutMs: 200 });
    const answer = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`);
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ code: "upstream_timeout" });
    expect(held).toHaveLength(1);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  describe("in front of an upstream whose contacts' emails are numbers", () => {
    it("reports each violation by operation and field, at /__admin/violations and in the log, and passes the answer on", async () => {
      const breaking = await startEditingProxy(upstream, breakContacts);
      try {
        const { proxy, lines } = await proxyTo(breaking.origin);
        const direct = await fetch(`${breaking.origin}${PUBLIC_PREFIX}/contact?limit=2`, {
          headers: { "x-api-key": KEY },
        });
        const through = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=2`);
        expect(through.status).toBe(200);
        expect(await bytes(through)).toEqual(await bytes(direct));

        const listed = (await (await fetch(`${proxy.origin}${VIOLATIONS_PATH}`)).json()) as {
          violations: { operationId: string; side: string; field?: string; message: string }[];
        };
        expect(listed.violations.length).toBeGreaterThan(0);
        for (const v of listed.violations) {
          expect(v).toMatchObject({ operationId: "listContacts", side: "response" });
          expect(v.field).toMatch(/^\/data\/\d+\/email$/);
        }
        const violationLines = lines.filter((line) => line.startsWith("violation "));
        expect(violationLines).toHaveLength(listed.violations.length);
        expect(violationLines[0]).toContain("listContacts");
        expect(violationLines[0]).toContain("/email");
      } finally {
        await new Promise((resolve) => breaking.server.close(resolve));
      }
    });
  });

  it("reports an undocumented property without calling it a violation, by operation and in the drift part", async () => {
    const drifting = await startEditingProxy(upstream, addDrift);
    try {
      const { proxy } = await proxyTo(drifting.origin);
      expect((await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=2`)).status).toBe(200);
      expect(proxy.violations()).toEqual([]);
      const report = proxy.report();
      const listContacts = report.operations.find((o) => o.operation === "listContacts");
      expect(listContacts?.undocumented).toEqual([{ property: `/data/*/${ADDED_PROPERTY}`, times: 2 }]);
      const contact = report.drift.schemas.find((s) => s.schema === "Contact");
      expect(contact?.undocumentedReturned).toEqual([{ property: ADDED_PROPERTY, times: 2 }]);
    } finally {
      await new Promise((resolve) => drifting.server.close(resolve));
    }
  });

  it("writes the report (FILE.md, FILE.json) on close: operations, statuses, violations, x-inferred parts; never the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "proxy-report-"));
    const file = join(dir, "live");
    const breaking = await startEditingProxy(upstream, breakContacts);
    try {
      const { proxy, lines } = await proxyTo(breaking.origin, { reportFile: file });
      await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=2`, { headers: { "x-api-key": KEY } });
      await fetch(`${proxy.origin}${PUBLIC_PREFIX}/workspace`);
      await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact?limit=oops`);
      started.splice(started.indexOf(proxy), 1);
      await proxy.close();

      const json = readFileSync(`${file}.json`, "utf8");
      const markdown = readFileSync(`${file}.md`, "utf8");
      const report = JSON.parse(json);
      const listContacts = report.operations.find((o: { operation: string }) => o.operation === "listContacts");
      expect(listContacts).toMatchObject({ requests: 2, statuses: { 200: 1, 400: 1 } });
      expect(listContacts.violations.map((v: { side: string }) => v.side)).toEqual(
        expect.arrayContaining(["request", "response"]),
      );
      expect(report.operations.find((o: { operation: string }) => o.operation === "getWorkspace")).toMatchObject({
        requests: 1,
        violations: [],
      });
      // The drift part is the contract suites' own report: Contact seen, its x-inferred parts judged.
      expect(report.drift.schemas.map((s: { schema: string }) => s.schema)).toContain("Contact");
      expect(markdown).toContain("## Violations by operation");
      expect(markdown).toContain("## Live drift report");
      for (const text of [json, markdown, ...lines]) expect(text).not.toContain(KEY);
    } finally {
      await new Promise((resolve) => breaking.server.close(resolve));
    }
  });
});
