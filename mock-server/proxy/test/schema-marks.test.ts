/**
 * The recorder's knowledge of the objects comes from the spec's marks: `x-personal` says what is replaced,
 * `x-references` what names another object, and the sanitiser picks a fake by the property alone.
 */
import { describe, expect, it } from "vitest";
import { listOperations } from "../../../lib/spec.ts";
import { CONTACT_FIELDS } from "../../store/contact-fields.ts";
import { RECORD_STEPS } from "../record-steps.ts";
import { personalKind } from "../sanitise.ts";
import { RECORDED_KINDS, referencesTo, schemaMarks } from "../schema-marks.ts";
import { STAND_INS } from "../stand-ins.ts";

describe("the spec's marks, as the recorder reads them", () => {
  it("make every field a contact is created with personal but its language tag", () => {
    const personal = schemaMarks("Contact").personal.map((p) => p.field);
    expect(personal).toEqual(CONTACT_FIELDS.filter((field) => field !== "lang"));
  });

  it("mark no id, timestamp, flag or enum personal", () => {
    for (const kind of RECORDED_KINDS) {
      const personal = schemaMarks(kind).personal.map((p) => p.field);
      const references = schemaMarks(kind).references.map((r) => r.field);
      expect(
        personal.filter((f) => f === "guid" || f.endsWith("_at") || references.includes(f)),
        kind,
      ).toEqual([]);
    }
  });

  it("name what a chat and a message point at, and whether a delete clears or removes the holder", () => {
    expect(schemaMarks("Chat").references).toEqual([
      { field: "channel", kind: "Channel", nullable: false },
      { field: "contact", kind: "Contact", nullable: true },
      { field: "agent", kind: "TeamMember", nullable: true },
      { field: "bot", kind: "Bot", nullable: true },
    ]);
    // A message's contact is the one given when it was sent, which may be deleted since: no reference.
    expect(referencesTo("Contact")).toEqual([
      { holder: "Chat", reference: { field: "contact", kind: "Contact", nullable: true } },
    ]);
    expect(referencesTo("Chat")).toEqual([
      { holder: "Message", reference: { field: "chat", kind: "Chat", nullable: false } },
    ]);
  });

  it("each name a kind the recorder can stand in for or leaves the holder out of", () => {
    const kinds = RECORDED_KINDS.flatMap((kind) => schemaMarks(kind).references.map((r) => r.kind));
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) expect(Object.keys(STAND_INS)).toContain(kind);
  });
});

describe("the kind of fake of a personal property", () => {
  it("is the picker of its name, else its format's, else text of its length", () => {
    expect(personalKind("Contact", "phone", undefined)).toBe("phone");
    expect(personalKind("Contact", "email", "email")).toBe("email");
    expect(personalKind("Contact", "website", "uri")).toBe("origin");
    expect(personalKind("Contact", "job_title", undefined)).toBe("text");
  });

  it("keeps a chat's default title equal to its contact's fake name, and a workspace named as a business", () => {
    expect(personalKind("Chat", "title", undefined)).toBe("name");
    expect(personalKind("Workspace", "name", undefined)).toBe("workspace");
  });
});

describe("the recorder's steps", () => {
  it("are one for each operation of the spec", () => {
    expect(Object.keys(RECORD_STEPS).sort()).toEqual(
      listOperations()
        .map((op) => op.id)
        .sort(),
    );
  });
});
