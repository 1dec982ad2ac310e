/**
 * The kit's MSW handlers in a real browser: Debian's Chromium, driven by playwright-core (which downloads
 * nothing), loads a page (browser/) that bundles the typed client and `setupWorker` with `createHandlers()`.
 * The page walks through the API at its live URL; the service worker hands each request to the engine in
 * the page. The bundle is built with esbuild for a browser when the test starts, and served with MSW's
 * worker script from a static server on a free loopback port. Skipped, loudly, where Chromium is absent;
 * `.ci/run` installs it.
 *
 * Nothing may leave the page: every host name fails to resolve in this Chromium (`--host-resolver-rules`),
 * any request to a host other than the static server is aborted and recorded (`context.route`, which sees
 * the service worker's own requests too), and every request to the API must be answered by the worker.
 */
import { copyFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_BASE_URL } from "../../../generated/rules.ts";
import { root } from "../../../scripts/generate-lib.ts";
import { CHROMIUM, CHROMIUM_FLAGS, chromiumMissing } from "../../test/chromium.ts";
import type { PageResult } from "./browser/main.ts";

const FLAGS = [
  ...CHROMIUM_FLAGS,
  // No host resolves but the loopback address the page is served from: a request that got past the worker
  // could reach nothing.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
const PAGE = join(root, "mock-server/transports/test/browser");
const WORKER_SCRIPT = join(root, "node_modules/msw/lib/mockServiceWorker.js");
const API_ORIGIN = new URL(API_BASE_URL).origin;

const missing = chromiumMissing("the MSW handlers");

const title = missing
  ? `the MSW handlers in headless Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`
  : `the MSW handlers in a service worker, in headless Chromium (${CHROMIUM})`;

/** One request the browser made, as the context saw it. */
interface Seen {
  url: string;
  method: string;
  /** Made by a service worker itself (its own network request), not by the page. */
  byServiceWorker: boolean;
  /** Answered by the page's service worker, without the network. */
  fromServiceWorker?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

/** Serves the files of `folder` (no sub-folders), recording each path asked for. */
function serveFolder(folder: string, asked: string[]): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    asked.push(path);
    const name = path === "/" ? "index.html" : path.slice(1);
    const type = CONTENT_TYPES[extname(name)];
    if (name.includes("/") || type === undefined) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(folder, name));
      response.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

describe.skipIf(missing)(title, () => {
  let folder: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let result: PageResult;
  const asked: string[] = [];
  const seen: Seen[] = [];
  const blocked: string[] = [];
  const failed: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "ciq-msw-page-"));
    await build({
      absWorkingDir: root,
      entryPoints: [join(PAGE, "main.ts")],
      outfile: join(folder, "main.js"),
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      logLevel: "warning",
    });
    await copyFile(join(PAGE, "index.html"), join(folder, "index.html"));
    // The worker script at the origin's root, so that its scope is the whole page.
    await copyFile(WORKER_SCRIPT, join(folder, "mockServiceWorker.js"));
    const bundle = await readFile(join(folder, "main.js"));
    console.info(
      `MSW page bundle (typed client + msw/browser + engine + store, minified): ${bundle.length} bytes, ` +
        `${gzipSync(bundle).length} gzipped; worker script ${(await stat(join(folder, "mockServiceWorker.js"))).size} bytes`,
    );

    ({ server, origin } = await serveFolder(folder, asked));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    context = await browser.newContext();
    // Any request for another host that reaches the network layer, the service worker's own included.
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        blocked.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    context.on("request", (request) => {
      seen.push({ url: request.url(), method: request.method(), byServiceWorker: request.serviceWorker() !== null });
    });
    context.on("response", (response) => {
      const entry = seen.findLast((s) => s.url === response.url() && s.fromServiceWorker === undefined);
      if (entry) entry.fromServiceWorker = response.fromServiceWorker();
    });
    context.on("requestfailed", (request) =>
      failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
    );
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} [${message.location().url}]`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__result !== undefined, undefined, { timeout: 20_000 });
    result = (await page.evaluate(() => window.__result)) as PageResult;
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("walks through the API to the end, each request answered as the spec says", () => {
    expect(result.error).toBeUndefined();
    expect(result.steps).toEqual([
      { step: "fixtures", status: 200 },
      { step: "create contact", status: 200 },
      { step: "search contact by email", status: 200 },
      { step: "start chat", status: 200 },
      { step: "send message", status: 200 },
      { step: "rename chat", status: 200 },
      { step: "read chat", status: 200 },
      { step: "reset chat title", status: 200 },
      { step: "list messages", status: 200 },
      { step: "delete contact", status: 200 },
      { step: "read deleted contact", status: 404 },
      { step: "search deleted contact", status: 200 },
    ]);
  });

  it("keeps state across requests: the search finds the new contact, the chat its title and messages, the deletion holds", () => {
    expect(result.found).toEqual([result.contact]);
    expect(result.titles).toEqual({
      started: "Olivia Brown",
      renamed: "Warranty claim",
      readBack: "Warranty claim",
      reset: "Olivia Brown",
    });
    expect(result.messages).toEqual([
      ["agent", "Could you send us a photo of the serial number?"],
      ["contact", "Hello, my e-bike will not start."],
    ]);
    expect(result.afterDelete).toEqual({ status: 404, code: "not_found" });
    expect(result.searchAfterDelete).toBe(0);
    expect(result.events).toEqual([
      "contact.created",
      "chat.created",
      "chat.message.created",
      "chat.message.created",
      "contact.deleted",
    ]);
  });

  it("has every request to the API answered by the service worker, none by the network", () => {
    const api = seen.filter((s) => s.url.startsWith(`${API_ORIGIN}/`));
    expect(api).toHaveLength(result.steps.length);
    expect(api.filter((s) => s.byServiceWorker || s.fromServiceWorker !== true)).toEqual([]);
  });

  it("sends no request to any host but the page's own server", () => {
    expect(blocked).toEqual([]);
    expect(failed).toEqual([]);
    const elsewhere = seen.filter((s) => !s.url.startsWith(`${origin}/`) && !s.url.startsWith(`${API_ORIGIN}/`));
    expect(elsewhere).toEqual([]);
    expect(new Set(asked)).toEqual(new Set(["/", "/main.js", "/mockServiceWorker.js"]));
  });

  it("logs no error in the console but Chromium's line for the deleted contact's 404", () => {
    expect(consoleErrors).toEqual([
      `Failed to load resource: the server responded with a status of 404 () [${API_BASE_URL}/contact/${result.contact}]`,
    ]);
  });
});
