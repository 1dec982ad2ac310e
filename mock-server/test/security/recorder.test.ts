/**
 * The recorder against an upstream that breaks the spec: one bad object is left out and reported with its
 * place, recording goes on, and the last line says what the file holds and what was left out, never naming a
 * file that was not written.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { originFromOutput } from "../../../scripts/server-port.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { PROXY_LISTENING } from "../../cli/proxy.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../../mock-options.ts";
import { createRecorder } from "../../proxy/record.ts";
import { describeOutcome, recordToFile } from "../../proxy/record-file.ts";
import type { Exchange } from "../../proxy/types.ts";
import { readStateFile } from "../../state-file.ts";
import { killCommands, runMockCommand } from "../mock-command.ts";

let mock: MockServer;
let upstream: Server;
let upstreamOrigin: string;
/** The contact the upstream answers with a number for its email. */
let badId: string;

beforeAll(async () => {
  mock = await buildMockServer({ logger: false });
  badId = mock.store.snapshot().contacts[0]?.guid as string;
  // The mock's own answers, but a GET of the bad contact gets `"email": 12345`, as a live API with a bug might.
  upstream = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      const answer = await mock.inject({
        method: request.method as "GET",
        url: request.url as string,
        headers: request.headers as Record<string, string>,
        ...(body === "" ? {} : { payload: body }),
      });
      let text = answer.body;
      if (request.method === "GET" && request.url === `${PUBLIC_PREFIX}/contact/${badId}`) {
        text = JSON.stringify({ ...JSON.parse(text), email: 12345 });
      }
      response.writeHead(answer.statusCode, { "content-type": answer.headers["content-type"] ?? "application/json" });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => upstream.close(resolve));
  await mock.close();
});
afterEach(killCommands);

const exchange = (operationId: string, body: unknown): Exchange => ({
  operationId,
  method: "GET",
  path: `${PUBLIC_PREFIX}/contact`,
  query: {},
  status: 200,
  body,
});

describe("a contact from the upstream that breaks the spec", () => {
  it("is left out of the recording with its operation, place and problem, and the rest of the page is kept", () => {
    const good = mock.store.snapshot().contacts.slice(0, 2);
    const recorder = createRecorder();
    recorder.observe(
      exchange("listContacts", { data: [good[0], { ...good[1], email: 12345 }], page: 1, limit: 2, total: 2 }),
    );
    expect(recorder.leftOut()).toEqual([
      { operationId: "listContacts", place: "/data/1/email", problem: expect.stringContaining("string") },
    ]);
    expect(recorder.state().contacts.map((c) => c.guid)).toEqual([good[0]?.guid]);
  });

  it("breaks no later write: what comes after it is recorded as before", () => {
    const recorder = createRecorder();
    const [first, second] = mock.store.snapshot().contacts;
    recorder.observe(exchange("getContact", { ...first, email: 12345 }));
    recorder.observe(exchange("createContact", second));
    expect(recorder.state().contacts.map((c) => c.guid)).toEqual([second?.guid]);
    expect(recorder.leftOut()).toHaveLength(1);
  });
});

describe("the recorder's last line", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "recorder-security-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("says nothing was recorded, and writes no file, when no answer held an object", async () => {
    const file = join(folder, "nothing.json");
    const recording = recordToFile(file);
    recording.observe(exchange("getContact", { ...mock.store.snapshot().contacts[0], email: 12345 }));
    const outcome = await recording.finish();
    expect(existsSync(file)).toBe(false);
    expect(describeOutcome(outcome)).toMatch(
      new RegExp(
        `^Nothing recorded: .*${file} was not written; 1 left out as not matching the spec: getContact /email`,
      ),
    );
  });

  it("says the recording failed, naming no file as recorded, when the file cannot be written", async () => {
    const file = join(folder, "no-such-folder", "recorded.json");
    const recording = recordToFile(file, { onError: () => {} });
    recording.observe(exchange("createContact", mock.store.snapshot().contacts[0]));
    const outcome = await recording.finish();
    expect(outcome.result).toBe("failed");
    expect(describeOutcome(outcome)).toMatch(/^Recording failed: .* was not written/);
    expect(describeOutcome(outcome)).not.toContain("Recorded:");
  });
});

describe("converseiq-mock proxy --record FILE before an upstream that answers a bad contact", {
  timeout: 90_000,
}, () => {
  it("records the writes after it, and its last line on SIGTERM counts the one left out", async () => {
    const folder = mkdtempSync(join(tmpdir(), "recorder-cli-"));
    try {
      const file = join(folder, "recorded.json");
      const { child, exited, output } = runMockCommand(
        ["proxy", "--upstream", upstreamOrigin, "--port", "0", "--allow-writes", "--quiet", "--record", file],
        { ...process.env, CONVERSEIQ_API_KEY: DEFAULT_API_KEY },
      );
      const origin = await originFromOutput(child, PROXY_LISTENING, 30_000);
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${origin}${PUBLIC_PREFIX}${path}`, {
          ...init,
          headers: { "content-type": "application/json", ...init.headers },
        });
      expect((await api(`/contact/${badId}`)).status).toBe(200);
      const created = await (await api("/contact", { method: "POST", body: '{"name":"After the bad one"}' })).json();
      const updated = await api(`/contact/${created.guid}`, { method: "PUT", body: '{"email":"after@example.com"}' });
      expect(updated.status).toBe(200);
      child.kill("SIGTERM");
      const code = await exited;
      const printed = output();
      expect(code, `${printed.stdout}\n${printed.stderr}`).toBe(0);

      const state = await readStateFile(file);
      const guids = state?.contacts.map((c) => c.guid);
      expect(guids).toContain(created.guid);
      expect(guids).not.toContain(badId);
      const objects = 2 + Object.values(state ?? {}).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
      const lastLine = printed.stdout.trim().split("\n").at(-1);
      expect(lastLine).toMatch(
        new RegExp(
          `^Recorded: ${file} \\(${objects} objects\\); 1 left out as not matching the spec: getContact /email: must be string`,
        ),
      );
      expect(printed.stderr).toContain(`left out of the recording, not matching the spec: getContact /email`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
