/**
 * Attacks on the mock's limits, one test each: a request small to send that would cost the server much
 * (a state of many empty records, a body with thousands of problems), a body dripped a byte at a time,
 * and a huge answer behind the validating proxy. Each is refused with the spec's Error body, and nothing
 * waits on a clock: the drip runs on fake timers, the rest wait for their answers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkState } from "../../admin/validation.ts";
import type { MockServer } from "../../app.ts";
import { MAX_DETAILS } from "../../engine/stages/validation.ts";
import { PUBLIC_PREFIX } from "../../mock-options.ts";
import { startProxy, type ValidatingProxy } from "../../proxy/index.ts";
import { readBody } from "../../transports/bodies.ts";
import { admin } from "../admin-support.ts";
import { API_KEY, call, errorOf, startMock } from "../helpers.ts";

const mocks: MockServer[] = [];
const servers: Server[] = [];
const proxies: ValidatingProxy[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(mocks.splice(0).map((app) => app.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done).closeAllConnections())));
});

async function mock(options: Parameters<typeof startMock>[1] = {}): Promise<MockServer> {
  const app = await startMock({}, options);
  mocks.push(app);
  return app;
}

const emptyContacts = (n: number) => ({ contacts: Array.from({ length: n }, () => ({})) });

describe("a state of many bad records", () => {
  // Checked record by record: before, Ajv's allErrors concatenated every record's errors onto all the
  // earlier ones, and 12,000 empty contacts held the whole server for about 15 s (the test's 5 s timeout
  // catches that; the figures are in scripts/measure-state-check.ts).
  it("is refused by PUT /__admin/state with the first 50 problems listed, saying there are more", async () => {
    const app = await mock();
    const before = JSON.stringify(app.store.snapshot());
    const answer = await admin(app, "PUT", "/__admin/state", { body: emptyContacts(12_000) });
    expect(answer.status).toBe(400);
    const error = answer.body as { code: string; message: string; details: { field: string }[] };
    expect(error.code).toBe("invalid_request");
    expect(error.details).toHaveLength(50);
    expect(error.details.map((d) => d.field)).toContain("/contacts/0/guid");
    expect(error.message).toMatch(/and more: the first 50 problems are listed/);
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
  });

  it("is refused by the state file's check the same way, at 200,000 records too (within the test's timeout)", () => {
    for (const n of [12_000, 200_000]) {
      expect(() => checkState(emptyContacts(n))).toThrow(/and more: the first 50 problems are listed/);
    }
  });

  it("is refused naming the one bad record of a state that is otherwise whole", async () => {
    const state = structuredClone((await mock()).store.snapshot()) as unknown as { contacts: { email: unknown }[] };
    const last = state.contacts.length - 1;
    (state.contacts[last] as { email: unknown }).email = 12345;
    let details: { field: string }[] = [];
    try {
      checkState(state);
    } catch (error) {
      details = (error as { details: { field: string }[] }).details;
    }
    expect(details.map((d) => d.field)).toEqual([`/contacts/${last}/email`]);
  });
});

describe("a public body with thousands of problems", () => {
  it("gets a 400 listing the first 50 and saying how many there were", async () => {
    const app = await mock();
    const json: Record<string, unknown> = { name: "Ada" };
    for (let i = 0; i < 2000; i++) json[`unknown${i}`] = i;
    const answer = await call(app, { method: "POST", path: "/contact", json });
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.details).toHaveLength(MAX_DETAILS);
    expect(error.message).toMatch(/\(2000 problems in all; the first 50 are listed\)\.$/);
  });
});

describe("a body dripped one byte at a time", () => {
  it("is refused 408 once the total body timeout has passed, though no gap reached the gap timeout", async () => {
    vi.useFakeTimers();
    const source = new PassThrough();
    const read = readBody(source, { "content-length": "1000" }, 2000, 10_000, 60_000);
    let outcome: Awaited<typeof read> | undefined;
    read.then((o) => {
      outcome = o;
    });
    // A byte every 5 s: each gap is half the gap timeout, so only the total deadline can stop it.
    for (let second = 0; second < 55; second += 5) {
      source.write("x");
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(outcome).toBeUndefined();
    source.write("x");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(outcome).toMatchObject({ refused: { code: "request_timeout", close: true } });
    expect(outcome && "refused" in outcome ? outcome.refused.message : "").toMatch(
      /not whole after 60000 ms, with 12 of 1000 bytes/,
    );
  });

  it("is answered 408 over HTTP with the Error body when the whole body is late (--body-total-timeout)", async () => {
    const app = await mock({ bodyTimeoutMs: 3_600_000, bodyTotalTimeoutMs: 50 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const before = JSON.stringify(app.store.snapshot());
    // Half a body, then nothing: the gap timeout is an hour, so the answer can only be the total's.
    const body = new PassThrough();
    body.write('{"name":');
    const answer = await fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": API_KEY, "content-length": "100" },
      body: body as unknown as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(answer.status).toBe(408);
    expect(await answer.json()).toMatchObject({ code: "request_timeout", message: /took too long/ });
    body.destroy();
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
  });
});

describe("a huge answer from the proxy's upstream", () => {
  it("is read only up to the cap, and the caller gets a 502 naming the cap", async () => {
    let aborted = false;
    const upstream = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      // An answer that never ends: a megabyte at a time while the proxy reads.
      const chunk = Buffer.alloc(1024 * 1024, 32);
      const more = () => {
        while (!aborted && response.write(chunk)) {}
        if (!aborted) response.once("drain", more);
      };
      response.on("close", () => {
        aborted = true;
      });
      more();
    });
    servers.push(upstream);
    await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
    const { port } = upstream.address() as AddressInfo;
    const proxy = await startProxy({ upstream: `http://127.0.0.1:${port}`, port: 0, maxUpstreamBody: 4 * 1024 * 1024 });
    proxies.push(proxy);
    const answer = await fetch(`${proxy.origin}${PUBLIC_PREFIX}/contact`);
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({
      code: "upstream_unreachable",
      message: /over the 4194304-byte cap on upstream bodies \(--max-upstream-body\)/,
    });
    await vi.waitFor(() => expect(aborted).toBe(true));
  });
});
