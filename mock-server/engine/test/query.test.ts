/** A query string read as Fastify's parser (fast-querystring) read it; each row was checked against it. */
import { describe, expect, it } from "vitest";
import { parseQuery } from "../query.ts";

describe("parseQuery", () => {
  it.each([
    ["", {}],
    ["a=1", { a: "1" }],
    ["a=1&a=2&a=3", { a: ["1", "2", "3"] }],
    ["a", { a: "" }],
    ["=x", { "": "x" }],
    ["&&a=1&", { a: "1" }],
    ["a+b=c+d", { "a b": "c d" }],
    ["a=b%2Bc", { a: "b+c" }],
    ["a=1=2", { a: "1=2" }],
    ["a%5B%5D=1", { "a[]": "1" }],
    ["a=%F0%9F%98%80", { a: "😀" }],
    ["a=%20%zz", { a: "%20%zz" }],
    ["a=%C3", { a: "%C3" }],
    ["%zz=1", { "%zz": "1" }],
  ])("reads %j as %j", (search, expected) => {
    expect({ ...parseQuery(search) }).toEqual(expected);
  });

  it("keeps __proto__ as a name, with no prototype to reach", () => {
    const query = parseQuery("__proto__=1");
    expect(Object.getPrototypeOf(query)).toBeNull();
    expect(Object.keys(query)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(query, "__proto__")?.value).toBe("1");
  });
});
