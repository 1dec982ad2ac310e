/**
 * Attacks on a mock left running on a developer's machine, as a web page they happen to open would make
 * them (issue "Safe to leave running", point 2): the cross-site reset, DNS rebinding, reading the admin API
 * from another origin, and listening beyond loopback with no admin token. Each is refused over HTTP
 * (engine/stages/http-guard.ts, set by app.ts); the in-process transports, whose caller is the program
 * itself, answer as before.
 */
import { request as httpRequest } from "node:http";
import { getResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { MOCK_LISTENING, originFromOutput } from "../../../scripts/server-port.ts";
import { buildMockServer, type InjectOptions, type MockServer } from "../../app.ts";
import { parseCli } from "../../cli/flags.ts";
import { UsageError } from "../../cli/values.ts";
import { DEFAULT_API_KEY, type MockOptions, PUBLIC_PREFIX } from "../../mock-options.ts";
import { createMockFetch } from "../../transports/fetch.ts";
import { createHandlers } from "../../transports/msw.ts";
import { killCommands, runIsolatedMock } from "../mock-command.ts";

const EVIL = "https://evil.example";
const SMALL = { seed: 7, contacts: 5, chats: 2, team: 2, channels: 3, bots: 1 };
const JSON_TYPE = { "content-type": "application/json" };

const apps: MockServer[] = [];
async function mock(options: Partial<MockOptions> = {}): Promise<MockServer> {
  const app = await buildMockServer({ seed: SMALL, ...options });
  apps.push(app);
  return app;
}
afterEach(async () => {
  killCommands();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A contact made through the public API: a change a reset would wipe. */
async function addContact(app: MockServer): Promise<void> {
  const made = await app.inject({
    method: "POST",
    url: `${PUBLIC_PREFIX}/contact`,
    headers: { "x-api-key": DEFAULT_API_KEY },
    payload: { name: "Kept", email: "kept@example.com" },
  });
  expect(made.statusCode).toBeLessThan(300);
}

const state = (app: MockServer) => JSON.stringify(app.store.snapshot());

async function expectForbidden(app: MockServer, request: InjectOptions): Promise<void> {
  const answer = await app.inject(request);
  expect(answer.statusCode, answer.body).toBe(403);
  expect(answer.json()).toMatchObject({ code: "forbidden", message: expect.any(String) });
}

describe("a cross-site reset (a page's POST to /__admin/reset, which needs no preflight)", () => {
  it("is refused 403 with the Error body, and the state is as it was", async () => {
    const app = await mock();
    await addContact(app);
    const before = state(app);
    await expectForbidden(app, { method: "POST", url: "/__admin/reset", headers: { origin: EVIL } });
    // A form or plain text, as a page can send it with no preflight, with or without an Origin.
    await expectForbidden(app, {
      method: "POST",
      url: "/__admin/reset",
      headers: { origin: EVIL, "content-type": "text/plain" },
      payload: "{}",
    });
    await expectForbidden(app, { method: "POST", url: "/__admin/reset" });
    await expectForbidden(app, {
      method: "PUT",
      url: "/__admin/state",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "a=1",
    });
    expect(state(app)).toBe(before);
  });

  it("is refused from an unlisted origin even as JSON, and with the admin token", async () => {
    const app = await mock({ adminToken: "secret" });
    await addContact(app);
    const before = state(app);
    await expectForbidden(app, {
      method: "POST",
      url: "/__admin/reset",
      headers: { origin: EVIL, "x-admin-token": "secret", ...JSON_TYPE },
    });
    expect(state(app)).toBe(before);
  });

  it("runs when sent as JSON with no Origin (a program), from the mock's own origin, or from an origin of --admin-cors", async () => {
    const app = await mock({ adminCors: ["http://localhost:5173"] });
    for (const headers of [
      JSON_TYPE,
      { ...JSON_TYPE, origin: "http://localhost:80", host: "localhost:80" },
      { ...JSON_TYPE, origin: "http://localhost:5173" },
    ]) {
      await addContact(app);
      const reset = await app.inject({ method: "POST", url: "/__admin/reset", headers });
      expect(reset.statusCode, JSON.stringify(headers)).toBe(200);
      expect(app.store.snapshot().contacts.some((c) => c.email === "kept@example.com")).toBe(false);
    }
  });

  it("needs no JSON content type with the admin token: the token is the proof", async () => {
    const app = await mock({ adminToken: "secret" });
    const reset = await app.inject({ method: "POST", url: "/__admin/reset", headers: { "x-admin-token": "secret" } });
    expect(reset.statusCode).toBe(200);
  });

  it("leaves reads and unknown admin paths alone: a GET, a 404 and a 405 change nothing", async () => {
    const app = await mock();
    expect((await app.inject({ url: "/__admin/fixtures", headers: { origin: EVIL } })).statusCode).toBe(200);
    expect((await app.inject({ method: "POST", url: "/__admin/nope", headers: { origin: EVIL } })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ method: "PATCH", url: "/__admin/reset" })).statusCode).toBe(405);
  });
});

describe("DNS rebinding (a page's own name pointed at 127.0.0.1, sent in Host)", () => {
  it("gets 403 with the Error body on the public API, the admin API and the docs, and no CORS headers", async () => {
    const app = await mock();
    for (const url of [`${PUBLIC_PREFIX}/workspace`, "/__admin/state", "/__admin/fixtures", "/docs"]) {
      const answer = await app.inject({ url, headers: { host: "evil.example", "x-api-key": DEFAULT_API_KEY } });
      expect(answer.statusCode, url).toBe(403);
      expect(answer.json()).toMatchObject({ code: "forbidden" });
      expect(answer.headers["access-control-allow-origin"], url).toBeUndefined();
    }
    const before = state(app);
    await expectForbidden(app, {
      method: "POST",
      url: "/__admin/reset",
      headers: { host: "evil.example:4010", ...JSON_TYPE },
    });
    expect(state(app)).toBe(before);
    // Not journaled: a stranger's request leaves no trace in the admin API.
    expect(app.journal.list().data.some((entry) => entry.status === 403)).toBe(false);
  });

  it("is refused over a real socket too", async () => {
    const app = await mock();
    const origin = await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = new URL(origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/__admin/state", headers: { host: "evil.example" } });
      req.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await fetch(`${origin}/__admin/fixtures`)).status).toBe(200);
  });

  it("answers localhost, *.localhost and any IP address (any port), the listening name, and --allowed-hosts", async () => {
    const app = await mock({ allowedHosts: ["mock.test", ".dev.example"] });
    await app.listen({ port: 0, host: "localhost" });
    for (const host of [
      "localhost",
      "localhost:4010",
      "app.localhost:1",
      "127.0.0.1:4010",
      "127.8.9.10",
      "[::1]:4010",
      "192.168.1.20:4010",
      "mock.test:4010",
      "MOCK.TEST",
      "dev.example",
      "a.dev.example:8080",
    ]) {
      expect((await app.inject({ url: "/__admin/fixtures", headers: { host } })).statusCode, host).toBe(200);
    }
    for (const host of ["evil.example", "mock.test.evil.example", "notdev.example", "localhost.evil.example"]) {
      expect((await app.inject({ url: "/__admin/fixtures", headers: { host } })).statusCode, host).toBe(403);
    }
  });

  it("is off with --allowed-hosts all", async () => {
    const app = await mock({ allowedHosts: "all" });
    expect((await app.inject({ url: "/__admin/fixtures", headers: { host: "evil.example" } })).statusCode).toBe(200);
  });
});

describe("the admin read from another origin", () => {
  it("gets no access-control-allow-origin on /__admin/state and /__admin/fixtures, nor on a preflight", async () => {
    const app = await mock();
    for (const url of ["/__admin/state", "/__admin/fixtures"]) {
      const answer = await app.inject({ url, headers: { origin: EVIL } });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers["access-control-allow-origin"], url).toBeUndefined();
    }
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/__admin/reset",
      headers: {
        origin: EVIL,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    // No admin CORS at all: the preflight is an OPTIONS like any other, which no admin route takes.
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();
    // The public API keeps --cors: any origin by default.
    const list = await app.inject({
      url: `${PUBLIC_PREFIX}/workspace`,
      headers: { origin: EVIL, "x-api-key": DEFAULT_API_KEY },
    });
    expect(list.headers["access-control-allow-origin"]).toBe("*");
  });

  it("gets the CORS headers when its origin is one of --admin-cors", async () => {
    const app = await mock({ adminCors: ["http://localhost:5173"] });
    const answer = await app.inject({ url: "/__admin/fixtures", headers: { origin: "http://localhost:5173" } });
    expect(answer.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/__admin/reset",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const other = await app.inject({ url: "/__admin/fixtures", headers: { origin: EVIL } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("the in-process transports, whose caller is the program itself", () => {
  it("the fetch adapter answers any Host and Origin, with the public API's CORS on /__admin", async () => {
    const mockFetch = createMockFetch({ seed: SMALL });
    try {
      const headers = { host: "evil.example", origin: EVIL };
      const reset = await mockFetch.fetch("http://evil.example/__admin/reset", { method: "POST", headers });
      expect(reset.status).toBe(200);
      const read = await mockFetch.fetch("http://evil.example/__admin/fixtures", { headers });
      expect(read.status).toBe(200);
      expect(read.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await mockFetch.close();
    }
  });

  it("the MSW handlers answer any Origin, and a reset with no content type", async () => {
    const handlers = createHandlers({ seed: SMALL });
    try {
      const origin = new URL(handlers.baseUrl).origin;
      const reset = await getResponse(
        handlers.handlers,
        new Request(`${origin}/__admin/reset`, { method: "POST", headers: { origin: EVIL } }),
      );
      expect(reset?.status).toBe(200);
    } finally {
      await handlers.close();
    }
  });
});

describe("the flags of the guards", () => {
  const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const request = parseCli(argv, env);
    if (request.help) throw new Error("asked for help");
    return request.config;
  };
  const refusal = (argv: string[]) => {
    try {
      parseCli(argv, {});
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
    return "no refusal";
  };

  it("read --allowed-hosts, --admin-cors and --admin-open, from flags or the environment", () => {
    const given = config(["--allowed-hosts", "Mock.Test,.dev.example", "--admin-cors", "http://localhost:5173"]);
    expect(given.options.allowedHosts).toEqual(["mock.test", ".dev.example"]);
    expect(given.options.adminCors).toEqual(["http://localhost:5173"]);
    expect(given.adminOpen).toBe(false);
    const fromEnv = config([], {
      MOCK_ALLOWED_HOSTS: "all",
      MOCK_ADMIN_CORS: "https://a.test,https://b.test",
      MOCK_ADMIN_OPEN: "1",
    });
    expect(fromEnv.options.allowedHosts).toBe("all");
    expect(fromEnv.options.adminCors).toEqual(["https://a.test", "https://b.test"]);
    expect(fromEnv.adminOpen).toBe(true);
    expect(refusal(["--admin-cors", "localhost:5173"])).toContain('--admin-cors: "localhost:5173" is not an origin');
  });

  it("take loopback hosts with no token, and refuse any other unless --admin-token or --admin-open", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]) {
      expect(config(["--host", host]).host).toBe(host);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "mock.test"]) {
      expect(refusal(["--host", host]), host).toContain(`--host ${host}: listening beyond loopback`);
      expect(config(["--host", host, "--admin-token", "t"]).host).toBe(host);
      expect(config(["--host", host, "--admin-open"]).adminOpen).toBe(true);
    }
    expect(refusal([])).toBe("no refusal");
  });
});

describe("listening beyond loopback (the command)", { timeout: 90_000 }, () => {
  const run = runIsolatedMock;

  it("with no --admin-token exits 2 and says why, before it listens", async () => {
    const cli = run(["--host", "0.0.0.0", "--port", "0"]);
    expect(await cli.exited).toBe(2);
    const { stdout, stderr } = cli.output();
    expect(stdout).toBe("");
    expect(stderr).toContain("--host 0.0.0.0: listening beyond loopback with no --admin-token");
    expect(stderr).toContain("--admin-open");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("with --admin-open starts, and the banner warns", async () => {
    const cli = run(["--host", "0.0.0.0", "--port", "0", "--contacts", "5", "--chats", "2"], { MOCK_ADMIN_OPEN: "1" });
    const origin = await originFromOutput(cli.child, MOCK_LISTENING, 30_000);
    // Answering a request: it is serving, its signal handlers in place.
    const { port } = new URL(origin);
    expect((await fetch(`http://127.0.0.1:${port}/__admin/fixtures`)).status).toBe(200);
    expect(cli.output().stdout).toContain("WARNING: --admin-open: /__admin has no token");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });
});
