/**
 * CORS, on by default so browser apps can call the mock: preflights are answered, `x-api-key` and
 * `Prefer` may be sent, `Retry-After` may be read. Configurable to a list of origins, or off. An OPTIONS
 * that is not a preflight is still an undocumented method: 405 with `Allow`.
 */
import { describe, expect, it } from "vitest";
import { buildMockServer } from "../app.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { operation, send, validRequest } from "./behaviour-support.ts";

const workspace = operation("getWorkspace");
const preflight = (origin: string, method = "POST") => ({
  method: "OPTIONS" as const,
  url: `${PUBLIC_PREFIX}/contact`,
  headers: { origin, "access-control-request-method": method, "access-control-request-headers": "x-api-key,prefer" },
});

describe("CORS by default", () => {
  it("answers a preflight with 204, allowing the API's methods and the x-api-key and Prefer headers", async () => {
    const app = await buildMockServer();
    const response = await app.inject(preflight("http://localhost:5173"));
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(String(response.headers["access-control-allow-methods"]).split(", ")).toEqual(
      expect.arrayContaining(["GET", "POST", "PUT", "DELETE"]),
    );
    expect(String(response.headers["access-control-allow-headers"]).split(", ")).toEqual(
      expect.arrayContaining(["x-api-key", "prefer", "content-type"]),
    );
    await app.close();
  });

  it("lets the browser read answers, Retry-After included, even a 401", async () => {
    const app = await buildMockServer();
    const origin = { origin: "http://localhost:5173" };
    const ok = await send(app, workspace, validRequest(workspace, origin));
    expect(ok.status).toBe(200);
    expect(ok.headers["access-control-allow-origin"]).toBe("*");
    expect(ok.headers["access-control-expose-headers"]).toContain("retry-after");

    const anonymous = validRequest(workspace);
    anonymous.headers = origin;
    const unauthorized = await send(app, workspace, anonymous);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers["access-control-allow-origin"]).toBe("*");
    await app.close();
  });

  it("answers an OPTIONS that is not a preflight with 405 and Allow, like any undocumented method", async () => {
    const app = await buildMockServer();
    const response = await app.inject({ method: "OPTIONS", url: `${PUBLIC_PREFIX}/contact` });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe("GET, POST");
    expect(response.json()).toMatchObject({ code: "method_not_allowed" });
    await app.close();
  });
});

describe("CORS configured", () => {
  it("with a list of origins, allows those and no other", async () => {
    const app = await buildMockServer({ cors: ["http://app.test"] });
    const allowed = await app.inject(preflight("http://app.test"));
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://app.test");

    const other = await send(app, workspace, validRequest(workspace, { origin: "http://evil.test" }));
    expect(other.status).toBe(200);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    await app.close();
  });

  it("off, sends no CORS headers, and an OPTIONS preflight is 405 like any undocumented method", async () => {
    const app = await buildMockServer({ cors: false });
    const answer = await send(app, workspace, validRequest(workspace, { origin: "http://app.test" }));
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    const response = await app.inject(preflight("http://app.test"));
    expect(response.statusCode).toBe(405);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    await app.close();
  });
});
