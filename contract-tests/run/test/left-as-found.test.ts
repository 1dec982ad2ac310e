import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_BASE_PATH } from "../../../generated/rules.ts";
import { buildMockServer, type MockServer } from "../../../mock-server/app.ts";
import { TEST_SEED } from "../../../scripts/test-seed.ts";
import { breakContacts, type EditingProxy, startEditingProxy } from "../editing-proxy.ts";
import { contract as runCommand } from "./contract-command.ts";

const KEY = "mock-api-key";

const contract = (args: string[], drift: string) => runCommand([...args, "--drift-report", drift]);

/**
 * A target that is not a mock: the mock behind a proxy that hides its admin API (404) and answers every
 * DELETE of a contact 500, so what the run creates cannot be deleted.
 */
async function undeletable(upstream: string): Promise<{ origin: string; server: Server }> {
  const server = createServer(async (request, reply) => {
    const path = request.url ?? "/";
    if (path.startsWith("/__admin")) {
      reply.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found"}}');
      return;
    }
    if (request.method === "DELETE" && path.startsWith(`${API_BASE_PATH}/contact/`)) {
      reply.writeHead(500, { "content-type": "application/json" }).end('{"error":{"code":"internal"}}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
    const response = await fetch(`${upstream}${path}`, {
      method: request.method ?? "GET",
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding") out[name] = value;
    });
    reply.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the target left as it was found", { timeout: 300_000 }, () => {
  let mock: MockServer;
  let origin: string;
  let broken: EditingProxy;
  let dir: string;
  const state = async () => (await fetch(`${origin}/__admin/state`)).text();
  beforeAll(async () => {
    mock = await buildMockServer({ logger: false });
    origin = await mock.listen({ port: 0, host: "127.0.0.1" });
    broken = await startEditingProxy(origin, breakContacts);
    dir = mkdtempSync(join(tmpdir(), "contract-left-as-found-"));
  });
  afterAll(async () => {
    broken?.server.close();
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("leaves a mock's state as it was after a full run, which works in a workspace it then removes", async () => {
    const before = await state();
    const args = [
      "--base-url",
      `${origin}${API_BASE_PATH}`,
      "--api-key",
      KEY,
      "--fuzz-runs",
      "2",
      "--model-runs",
      "2",
      "--seed",
      String(TEST_SEED),
    ];
    const { code, output } = await contract(args, join(dir, "drift"));
    expect(output).toContain("every check held");
    expect(code).toBe(0);
    expect(await state()).toBe(before);
    expect(mock.engine.workspaces.size).toBe(0);
  });

  it("leaves a mock's state as it was after a run that fails", async () => {
    const before = await state();
    const args = ["--base-url", `${broken.origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "contacts"];
    const { code, output } = await contract(args, join(dir, "drift"));
    expect(output).toContain("FAILED");
    expect(code).toBe(1);
    expect(await state()).toBe(before);
    expect(mock.engine.workspaces.size).toBe(0);
  });

  it("lists by kind, id and why what it could not delete on a target that is not a mock", async () => {
    const target = await undeletable(origin);
    try {
      const args = ["--base-url", `${target.origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "contacts"];
      const { code, output } = await contract(args, join(dir, "drift"));
      expect(code).toBe(1);
      const listed = output.slice(output.indexOf("Left on the target"));
      expect(listed).toMatch(
        /^Left on the target \(the run could not delete them; delete by hand\):\n {2}contact \S+: DELETE answered 500/,
      );
    } finally {
      target.server.close();
    }
  });
});

describe("a mock started with an admin token", { timeout: 120_000 }, () => {
  const TOKEN = "the-admin-token";
  let mock: MockServer;
  let origin: string;
  let dir: string;
  const state = async () => (await fetch(`${origin}/__admin/state`, { headers: { "x-admin-token": TOKEN } })).text();
  beforeAll(async () => {
    mock = await buildMockServer({ logger: false, adminToken: TOKEN });
    origin = await mock.listen({ port: 0, host: "127.0.0.1" });
    dir = mkdtempSync(join(tmpdir(), "contract-admin-token-"));
  });
  afterAll(async () => {
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const args = () => ["--base-url", `${origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "contacts"];

  it("is not checked as any other target without the token: one line naming the flag, exit 2, nothing written", async () => {
    const before = await state();
    const { code, output } = await contract(args(), join(dir, "drift"));
    expect(code).toBe(2);
    expect(output.trim().split("\n")).toEqual([
      `converseiq-contract: The mock at ${origin} runs with --admin-token: give the same token with --admin-token or MOCK_ADMIN_TOKEN, so that the run works in a workspace of its own.`,
    ]);
    expect(await state()).toBe(before);
  });

  it("is refused a wrong token in one line, exit 2", async () => {
    const { code, output } = await contract([...args(), "--admin-token", "not-it"], join(dir, "drift"));
    expect(code).toBe(2);
    expect(output).toContain("refused the admin token");
    expect(output).not.toContain("not-it");
  });

  it("is checked in a workspace of the run's own with --admin-token, and left as it was", async () => {
    const before = await state();
    const { code, output } = await contract([...args(), "--admin-token", TOKEN], join(dir, "drift"));
    expect(output).toContain("every check held");
    expect(code).toBe(0);
    expect(await state()).toBe(before);
    expect(mock.engine.workspaces.size).toBe(0);
  });
});
