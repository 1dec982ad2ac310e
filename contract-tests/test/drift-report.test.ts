/**
 * The live drift report, exercised without the internet: its pure parts on given observations, and a
 * whole tolerant run against the in-process mock whose contacts come with a property the spec does not have.
 */
import { describe, expect, it } from "vitest";
import { mergeObservations, type Observations, observe } from "../../lib/drift/observe.ts";
import { buildDriftReport, driftMarkdown } from "../../lib/drift/report.ts";
import { addDrift } from "../run/editing-proxy.ts";
import { readSettings } from "../support/settings.ts";
import { createTarget } from "../support/target.ts";
import type { Transport } from "../support/transport.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe("observing bodies", () => {
  it("counts each named object and sorts its properties into documented and undocumented", () => {
    const seen = observe(ref("ContactPage"), {
      data: [
        { guid: "a", name: "Ann", vip: true },
        { guid: "b", name: null },
      ],
      page: 1,
      limit: 20,
      pages: 1,
      total: 2,
    });
    expect(seen.ContactPage?.objects).toBe(1);
    expect(seen.Contact).toEqual({ objects: 2, returned: { guid: 2, name: 2 }, undocumented: { vip: 1 } });
  });

  it("merges the observations of several files", () => {
    const a: Observations = { Chat: { objects: 1, returned: { guid: 1 }, undocumented: {} } };
    const b: Observations = { Chat: { objects: 2, returned: { guid: 2, muted: 2 }, undocumented: { x: 1 } } };
    expect(mergeObservations(a, b).Chat).toEqual({
      objects: 3,
      returned: { guid: 3, muted: 2 },
      undocumented: { x: 1 },
    });
  });
});

describe("the drift report", () => {
  const observations: Observations = {
    Chat: {
      objects: 3,
      returned: {
        guid: 3,
        channel: 3,
        title: 3,
        contact: 3,
        agent: 3,
        bot: 3,
        chatflow: 3,
        archived: 3,
        resolved: 3,
        created_at: 3,
        updated_at: 3,
      },
      undocumented: { unread_count: 3 },
    },
  };
  const report = buildDriftReport("https://api.example", observations, undefined, new Date("2026-01-01T00:00:00Z"));
  const chat = report.schemas.find((s) => s.schema === "Chat");

  it("lists the x-inferred properties the server returned and those it never returned", () => {
    expect(chat?.inferredNeverReturned).toEqual(["muted"]);
    expect(chat?.inferredConfirmed).toContain("chatflow");
    expect(chat?.inferredConfirmed).not.toContain("muted");
  });

  it("lists the undocumented properties returned, with how often", () => {
    expect(chat?.undocumentedReturned).toEqual([{ property: "unread_count", times: 3 }]);
  });

  it("says which response schemas the run never saw, and leaves out request bodies", () => {
    expect(report.unseen).toContain("Contact");
    expect(report.unseen).not.toContain("ContactCreate");
    expect(report.schemas.map((s) => s.schema)).toEqual(["Chat"]);
  });

  it("reads as a table in markdown", () => {
    const markdown = driftMarkdown(report);
    expect(markdown).toContain("| Chat (inferred) | 3 |");
    expect(markdown).toContain("`muted`");
    expect(markdown).toContain("`unread_count (3×)`");
  });

  it("comes out of a tolerant run against a mock whose contacts have a property the spec lacks", async () => {
    // The property is added to the answers, as test:http's drifting proxy adds it (the admin API, the
    // in-process mock's control, refuses a state that holds a property the spec lacks).
    const drifting =
      (inner: Transport): Transport =>
      async (request) => {
        const response = await inner(request);
        return response.text ? { ...response, text: JSON.stringify(addDrift(JSON.parse(response.text))) } : response;
      };
    const settings = { ...readSettings({}), mode: "tolerant" as const };
    const tolerant = await createTarget(settings, { observe: true, wrapTransport: drifting });
    try {
      await tolerant.client.GET("/contact", { params: { query: { limit: 5 } } });
      await tolerant.client.GET("/chat", { params: { query: { limit: 5 } } });
      expect([...(tolerant.checker.stats.extras.get("listContacts") ?? [])]).toEqual(["/data/*/loyalty_tier"]);
      const drift = buildDriftReport(tolerant.name, tolerant.observations());
      const contact = drift.schemas.find((s) => s.schema === "Contact");
      expect(contact?.undocumentedReturned).toEqual([{ property: "loyalty_tier", times: 5 }]);
      expect(contact?.inferredNeverReturned).toEqual([]);
      expect(JSON.stringify(drift) + driftMarkdown(drift)).not.toContain("mock-api-key");
    } finally {
      await tolerant.close();
    }
  });
});
