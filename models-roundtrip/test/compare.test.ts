import { describe, expect, it } from "vitest";
import { compareJson } from "../compare.ts";

describe("compareJson", () => {
  it.each([
    ["equal objects, keys in another order", { a: 1, b: [true, null] }, { b: [true, null], a: 1 }],
    ["the same instant, written by Python", "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:00+00:00"],
    ["the same instant, written by Go", "2025-11-02T02:56:13.000Z", "2025-11-02T02:56:13Z"],
    ["the same instant, another offset", "2025-01-01T10:00:00.5Z", "2025-01-01T20:00:00.500+10:00"],
    ["microseconds kept", "2025-01-01T00:00:00.123456Z", "2025-01-01T00:00:00.123456+00:00"],
  ])("finds no difference: %s", (_, sent, received) => {
    expect(compareJson(sent, received)).toEqual([]);
  });

  it.each([
    ["null that came back absent", { a: null }, {}, [{ path: "/a", problem: "sent null, got nothing" }]],
    ["absent that came back null", {}, { a: null }, [{ path: "/a", problem: "sent nothing, got null" }]],
    [
      "a string that came back null",
      { a: "x" },
      { a: null },
      [{ path: "/a", problem: 'sent string "x", got null null' }],
    ],
    ["an empty array dropped", { d: [] }, {}, [{ path: "/d", problem: "sent [], got nothing" }]],
    [
      "another instant",
      "2025-01-01T00:00:00Z",
      "2025-01-01T00:00:01Z",
      [{ path: "", problem: 'sent "2025-01-01T00:00:00Z", got "2025-01-01T00:00:01Z"' }],
    ],
    [
      "a lost millisecond",
      "2025-01-01T00:00:00.001Z",
      "2025-01-01T00:00:00Z",
      [{ path: "", problem: 'sent "2025-01-01T00:00:00.001Z", got "2025-01-01T00:00:00Z"' }],
    ],
    [
      "a date that is not a date-time",
      "2025-01-01",
      "2025-01-01T00:00:00Z",
      [{ path: "", problem: 'sent "2025-01-01", got "2025-01-01T00:00:00Z"' }],
    ],
    ["a number as a string", { n: 1 }, { n: "1" }, [{ path: "/n", problem: 'sent number 1, got string "1"' }]],
    ["an item lost", [1, 2], [1], [{ path: "", problem: "sent 2 items, got 1" }]],
    [
      "a nested change",
      { data: [{ name: "a" }] },
      { data: [{ name: "b" }] },
      [{ path: "/data/0/name", problem: 'sent "a", got "b"' }],
    ],
  ])("finds %s", (_, sent, received, differences) => {
    expect(compareJson(sent, received)).toEqual(differences);
  });
});
