/** `/docs` on the mock, over `inject`: what it serves, to whom, and what it leaves alone. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicSpec } from "../../../lib/spec.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { PUBLIC_PREFIX } from "../../mock-options.ts";
import { type PageConfig, renderPage } from "../page.ts";

let app: MockServer;
beforeAll(async () => {
  // mock.test: a name the mock answers only when told (its Host check, engine/stages/http-guard.ts).
  app = await buildMockServer({ apiKeys: ["first-key", "second-key"], allowedHosts: ["mock.test"] });
});
afterAll(async () => {
  await app.close();
});

/** The config the page hands to Swagger UI, read back out of the HTML. */
function pageConfig(html: string): PageConfig {
  const match = /<script id="docs-config" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!match?.[1]) throw new Error("no docs-config in the page");
  return JSON.parse(match[1]) as PageConfig;
}

describe("GET /docs", () => {
  it("serves the page without an API key", async () => {
    const response = await app.inject({ url: "/docs", headers: { host: "mock.test:4010" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.body).toContain('<div id="swagger-ui"></div>');
  });

  it("points Try it out at the mock's own origin, not the live API, with its first key", async () => {
    const response = await app.inject({ url: "/docs/", headers: { host: "mock.test:4010" } });
    const config = pageConfig(response.body);
    expect(config.spec.servers).toEqual([
      { url: `http://mock.test:4010${PUBLIC_PREFIX}`, description: "This mock server (converseiq-kit)" },
    ]);
    expect(config.apiKey).toBe("first-key");
    expect(config.securityScheme).toBe("ApiKey");
    expect(config.spec.info.description).toContain("`first-key` already filled in");
    expect(Object.keys(config.spec.paths ?? {})).toEqual(Object.keys(publicSpec.paths ?? {}));
  });

  it("forbids the page, by its Content-Security-Policy, to load or send anything to another host", async () => {
    const response = await app.inject({ url: "/docs", headers: { host: "mock.test:4010" } });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(response.body)?.[1];
    expect(csp).toContain("default-src &#39;none&#39;");
    expect(csp).toContain("script-src &#39;self&#39;;");
    expect(csp).toContain("connect-src &#39;self&#39; http://mock.test:4010;");
  });
});

describe("GET /docs/assets/:name", () => {
  it.each([
    ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
    ["swagger-ui.css", "text/css; charset=utf-8"],
    ["init.js", "text/javascript; charset=utf-8"],
    ["favicon-32x32.png", "image/png"],
  ])("serves %s from node_modules or the repo, cacheable", async (name, type) => {
    const response = await app.inject({ url: `/docs/assets/${name}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe(type);
    expect(response.headers["cache-control"]).toBe("public, max-age=3600");
    expect(response.rawPayload.length).toBeGreaterThan(100);
  });

  it.each(["index.html", "..%2Fpackage.json", "swagger-ui-bundle.js.map"])("answers 404 for %s", async (name) => {
    const response = await app.inject({ url: `/docs/assets/${name}` });
    expect(response.statusCode).toBe(404);
  });
});

describe("the rest of the mock", () => {
  it("serves the bundled spec at /docs/openapi.json", async () => {
    const response = await app.inject({ url: "/docs/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(publicSpec);
  });

  it("still asks public routes for a key", async () => {
    const response = await app.inject({ url: `${PUBLIC_PREFIX}/workspace` });
    expect(response.statusCode).toBe(401);
  });

  it("leaves the page out of the request journal", async () => {
    await app.inject({ url: "/docs" });
    await app.inject({ url: "/docs/assets/init.js" });
    const journal = await app.inject({ url: "/__admin/requests" });
    const paths = (journal.json() as { data: { path: string }[] }).data.map((entry) => entry.path);
    expect(paths.filter((path) => path.startsWith("/docs"))).toEqual([]);
  });
});

describe("renderPage", () => {
  it("keeps text of the spec from closing its script element", () => {
    const spec = { ...publicSpec, info: { ...publicSpec.info, description: "</script><script>alert(1)</script>" } };
    const html = renderPage({ spec, servers: [{ url: "/public/v1" }], assetBase: "assets/", intro: "" });
    expect(html).not.toContain("</script><script>alert(1)");
    expect(pageConfig(html).spec.info.description).toContain("</script><script>alert(1)</script>");
  });
});
