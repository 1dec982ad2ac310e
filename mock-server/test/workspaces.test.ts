/**
 * Workspaces over the whole app (the HTTP server's handler, injected), every admin answer held to the admin
 * spec and every public one to the public spec: `POST /__admin/workspaces`, then the key it answers on the
 * public API and on the admin routes that take one. The routing itself is engine/workspaces.test.ts's.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { listOperations, publicSpec } from "../../lib/spec.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-options.ts";
import type { Fixtures } from "../store/types.ts";
import { admin, SMALL } from "./admin-support.ts";

const validatePublic = createResponseValidator("strict", publicSpec);
const getWorkspace = listOperations(publicSpec).find((op) => op.id === "getWorkspace");

let app: MockServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Created {
  apiKey: string;
  workspace: { guid: string };
}

describe("POST /__admin/workspaces over the app", () => {
  it("answers { apiKey, workspace } by the admin spec; the key reads that workspace by the public spec", async () => {
    app = await buildMockServer({ seed: SMALL });
    const created = await admin<Created>(app, "POST", "/__admin/workspaces", { body: { apiKey: "file-a" } });
    expect(created.status).toBe(200);
    expect(created.body.apiKey).toBe("file-a");

    const response = await app.inject({
      method: "GET",
      url: `${PUBLIC_PREFIX}/workspace`,
      headers: { "x-api-key": "file-a" },
    });
    if (!getWorkspace) throw new Error("the public spec has no getWorkspace");
    const verdict = validatePublic(getWorkspace, {
      status: response.statusCode,
      contentType: response.headers["content-type"] as string | undefined,
      headers: response.headers as Record<string, string>,
      text: response.body,
    });
    expect(verdict.problems).toEqual([]);
    expect(verdict.body).toEqual(created.body.workspace);
  });

  it("a bad body is 400; an unknown key on a route that takes one is 404, by the admin spec", async () => {
    app = await buildMockServer({ seed: SMALL });
    const bad = await admin(app, "POST", "/__admin/workspaces", { body: { apiKey: "" } });
    expect(bad.status).toBe(400);
    const taken = await admin(app, "POST", "/__admin/workspaces", { body: { apiKey: DEFAULT_API_KEY } });
    expect(taken.status).toBe(400);
    for (const [method, path] of [
      ["GET", "/__admin/fixtures"],
      ["POST", "/__admin/reset"],
      ["GET", "/__admin/state"],
    ] as const) {
      const answer = await admin(app, method, path, { headers: { "x-api-key": "nobody" } });
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
  });

  it("fixtures and a reset with a workspace's key answer that workspace's, by the admin spec", async () => {
    app = await buildMockServer({ seed: SMALL });
    const { apiKey } = (await admin<Created>(app, "POST", "/__admin/workspaces", { body: { seed: { bots: 0 } } })).body;
    const headers = { "x-api-key": apiKey };
    const fixtures = (await admin<Fixtures>(app, "GET", "/__admin/fixtures", { headers })).body;
    expect(fixtures.apiKeys).toEqual([apiKey]);
    expect(fixtures.bots).toEqual([]);
    const reset = await admin<Fixtures>(app, "POST", "/__admin/reset", { headers });
    expect(reset.status).toBe(200);
    expect(reset.body.bots).toEqual([]);
    expect((await admin<Fixtures>(app, "GET", "/__admin/fixtures")).body.bots).toHaveLength(SMALL.bots);
  });
});
