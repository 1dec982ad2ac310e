/**
 * The smaller ways a request could be misread, each answered with the spec's Error body: a charset
 * other than UTF-8, a byte order mark (taken alike in a body and a state file), a page past the largest
 * safe integer, and the key header sent twice.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../app.ts";
import { readStateFile } from "../../state-file.ts";
import { API_KEY, call, errorOf, startMock } from "../helpers.ts";

let app: MockServer;
beforeAll(async () => {
  app = await startMock();
});
afterAll(() => app.close());

const contact = (n: number) => JSON.stringify({ name: `Charset ${n}`, email: `charset.${n}@example.com` });
let made = 0;
const post = (contentType: string, payload: string | Buffer = contact(++made)) =>
  call(app, { method: "POST", path: "/contact", headers: { "content-type": contentType }, payload });

describe("a body's charset", () => {
  it("is refused 415 when it is not UTF-8, and the body is not stored", async () => {
    const before = JSON.stringify(app.store.snapshot());
    for (const type of ["application/json; charset=utf-16", 'application/json; charset="latin1"']) {
      const answer = await post(type);
      expect(answer.status, type).toBe(415);
      expect(errorOf(answer)).toMatchObject({ code: "unsupported_media_type", message: /UTF-8/ });
    }
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
  });

  it("is taken as utf-8 in any case, quoted or not, and when there is none", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
      'application/json; charset="Utf-8"',
    ]) {
      expect((await post(type)).status, type).toBe(200);
    }
  });
});

describe("a UTF-8 byte order mark", () => {
  it("is dropped from a request body", async () => {
    const answer = await post(
      "application/json",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(contact(++made))]),
    );
    expect(answer.status).toBe(200);
  });

  it("is dropped from a state file as well", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "bom-")), "state.json");
    const state = app.store.snapshot();
    writeFileSync(file, `\uFEFF${JSON.stringify(state)}`);
    const read = await readStateFile(file);
    expect(read?.contacts.length).toBe(state.contacts.length);
  });
});

describe("a page number", () => {
  it("past Number.MAX_SAFE_INTEGER is a 400 naming the page, never echoed rounded", async () => {
    for (const page of ["100000000000000000000000000", "9007199254740993", "1e26"]) {
      const answer = await call(app, { path: `/contact?page=${page}` });
      expect(answer.status, page).toBe(400);
      expect(errorOf(answer).details).toEqual([expect.objectContaining({ in: "query", field: "page" })]);
    }
  });

  it("up to Number.MAX_SAFE_INTEGER is a page (an empty one)", async () => {
    const answer = await call<{ data: unknown[]; page: number }>(app, {
      path: `/contact?page=${Number.MAX_SAFE_INTEGER}`,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: [], page: Number.MAX_SAFE_INTEGER });
  });
});

describe("the key header sent twice", () => {
  // Node joins the values of a header sent twice with ", ": that is what the engine is handed.
  it("is a 401 that says it was sent more than once, even when both are the valid key", async () => {
    for (const header of [`${API_KEY}, ${API_KEY}`, `${API_KEY}, other`]) {
      const answer = await call(app, { path: "/contact", key: header });
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toMatchObject({
        code: "unauthorized",
        message: /sent more than once/,
        details: [{ in: "header", field: "x-api-key", message: "was sent more than once" }],
      });
    }
  });

  it("once, with a wrong key, is still the plain 401", async () => {
    const answer = await call(app, { path: "/contact", key: "wrong" });
    expect(errorOf(answer).message).not.toMatch(/more than once/);
  });
});
