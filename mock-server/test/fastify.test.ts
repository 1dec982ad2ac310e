/**
 * `converseiq-kit/fastify`: the mock mounted in a consumer's own Fastify app under a prefix, reached with
 * Fastify's `inject()`. Under the prefix it answers as the mock's own server answers the same path without
 * it; the app's other routes stay the app's; closing the app writes the state file.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildMockServer } from "../app.ts";
import { converseiqMock } from "../fastify.ts";
import { DEFAULT_SEED } from "../store/seed.ts";

const SEED = { seed: 7, contacts: 5, chats: 2 };
const KEY = { "x-api-key": "mock-api-key" };

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A consumer's app with a route of its own and the mock under `/converseiq`. */
async function consumerApp(options: Parameters<typeof converseiqMock>[1] = {}): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  app.get("/health", async () => ({ ok: true }));
  await app.register(converseiqMock, { prefix: "/converseiq", seed: SEED, ...options });
  return app;
}

describe("the mock as a Fastify plugin, under a prefix", () => {
  it("answers /converseiq/public/v1/contact as the mock's own server answers /public/v1/contact", async () => {
    const app = await consumerApp();
    const own = await buildMockServer({ seed: { ...DEFAULT_SEED, ...SEED } });
    apps.push(own);
    const mounted = await app.inject({ url: "/converseiq/public/v1/contact?limit=2", headers: KEY });
    const alone = await own.inject({ url: "/public/v1/contact?limit=2", headers: KEY });
    expect(mounted.statusCode).toBe(200);
    expect(mounted.body).toBe(alone.body);
    expect(mounted.headers["content-type"]).toBe(alone.headers["content-type"]);
    expect(mounted.headers["content-length"]).toBe(alone.headers["content-length"]);
  });

  it("takes a body and the admin API under the prefix; the engine sees the paths without it", async () => {
    const app = await consumerApp();
    const created = await app.inject({
      method: "POST",
      url: "/converseiq/public/v1/contact",
      headers: { ...KEY, "content-type": "application/json" },
      payload: JSON.stringify({ name: "Under a prefix", email: "prefix@example.com" }),
    });
    expect(created.statusCode).toBe(200);
    const journal = await app.inject({ url: "/converseiq/__admin/requests" });
    expect(journal.statusCode).toBe(200);
    const { data } = journal.json<{ data: { method: string; path: string; status: number }[] }>();
    expect(data.at(-1)).toMatchObject({ method: "POST", path: "/public/v1/contact", status: 200 });
  });

  it("refuses under the prefix as the mock does: 401 without a key, 404 for a path the API has not", async () => {
    const app = await consumerApp();
    const unauthorized = await app.inject({ url: "/converseiq/public/v1/contact" });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json()).toMatchObject({ code: "unauthorized" });
    const missing = await app.inject({ url: "/converseiq/public/v1/nothing-here", headers: KEY });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "not_found" });
  });

  it("leaves the app's own routes to the app, and paths outside the prefix to its 404", async () => {
    const app = await consumerApp();
    expect((await app.inject({ url: "/health" })).json()).toEqual({ ok: true });
    const outside = await app.inject({ url: "/public/v1/contact", headers: KEY });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ error: "Not Found" });
  });

  it("over a socket, refuses a body over the limit under the prefix 413 with the Error body, and serves on", async () => {
    const app = await consumerApp();
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const tooLarge = await fetch(`${origin}/converseiq/public/v1/contact`, {
      method: "POST",
      headers: { ...KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ code: "payload_too_large" });
    expect((await fetch(`${origin}/converseiq/public/v1/workspace`, { headers: KEY })).status).toBe(200);
  });

  it("writes the state file when the app closes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "converseiq-plugin-"));
    try {
      const path = join(dir, "state.json");
      const app = await consumerApp({ stateFile: path });
      await app.inject({
        method: "POST",
        url: "/converseiq/public/v1/contact",
        headers: { ...KEY, "content-type": "application/json" },
        payload: JSON.stringify({ name: "Kept", email: "kept@example.com" }),
      });
      await app.close();
      expect(await readFile(path, "utf8")).toContain("kept@example.com");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
