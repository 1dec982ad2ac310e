/**
 * The journal file (journal-file.ts over request-journal.ts): the public entries only, with their bodies
 * parsed and paths from the API's base URL; bounded, per body and in all, with the ring's overwritten
 * entries giving their share back; and no accepted key left in a path or a body.
 */
import { describe, expect, it } from "vitest";
import { journalFile, REDACTED } from "../journal-file.ts";
import { Journal, MAX_KEPT_BODY } from "../request-journal.ts";

const entry = (path: string, operationId: string | null = "listContacts") => ({
  at: 0,
  method: "GET",
  path,
  status: 200,
  durationMs: 1,
  operationId,
});
const bodies = (response: string, request?: string, simulated = false) => ({ request, response, simulated });

describe("the journal file", () => {
  it("holds the public requests only, with their bodies parsed and their paths from the API's base URL", () => {
    const journal = new Journal(10);
    journal.record(entry("/public/v1/contact?limit=1"), bodies('{"data":[]}'));
    journal.record(entry("/__admin/fixtures", null));
    journal.record(entry("/public/v1/contact", "createContact"), bodies('{"guid":"g"}', '{"name":"A"}', true));
    expect(journalFile(journal, [])).toEqual({
      version: 1,
      dropped: 0,
      entries: [
        {
          operationId: "listContacts",
          method: "GET",
          path: "/contact?limit=1",
          status: 200,
          responseBody: { data: [] },
          bodiesOmitted: false,
          simulated: false,
        },
        {
          operationId: "createContact",
          method: "GET",
          path: "/contact",
          status: 200,
          requestBody: { name: "A" },
          responseBody: { guid: "g" },
          bodiesOmitted: false,
          simulated: true,
        },
      ],
    });
  });

  it("leaves out a body longer than its limit, and bodies past the journal's share, which overwritten entries give back", () => {
    const journal = new Journal(2, 30);
    journal.record(entry("/public/v1/contact"), bodies(`"${"x".repeat(MAX_KEPT_BODY)}"`));
    journal.record(entry("/public/v1/contact"), bodies(`"${"y".repeat(20)}"`));
    journal.record(entry("/public/v1/contact"), bodies(`"${"z".repeat(20)}"`));
    expect(journalFile(journal, []).entries.map((kept) => kept.bodiesOmitted)).toEqual([false, true]);
    journal.record(entry("/public/v1/contact"), bodies(`"${"w".repeat(20)}"`));
    expect(journalFile(journal, []).entries.map((kept) => kept.bodiesOmitted)).toEqual([true, false]);
    expect(journalFile(journal, []).dropped).toBe(2);
  });

  it("replaces every accepted key in a path or body; a short key only where it is the whole string", () => {
    const journal = new Journal(5);
    journal.record(
      entry("/public/v1/contact?q=secret-key-123"),
      bodies('{"note":"my secret-key-123 here","k":"abc","t":"abcd"}'),
    );
    const [kept] = journalFile(journal, ["secret-key-123", "abc"]).entries;
    expect(kept?.path).toBe(`/contact?q=${REDACTED}`);
    expect(kept?.responseBody).toEqual({ note: `my ${REDACTED} here`, k: REDACTED, t: "abcd" });
  });
});
