import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pageWindow, paginate } from "../paginate.ts";

const numbers = (total: number) => Array.from({ length: total }, (_, i) => i);
const pageOf = (items: number[], page: number, limit: number) =>
  paginate(items.length, { page, limit }, (offset, size) => items.slice(offset, offset + size));

describe("paginate", () => {
  it.each([
    // total, limit, pages
    [0, 20, 0],
    [1, 20, 1],
    [20, 20, 1],
    [21, 20, 2],
    [47, 10, 5],
    [299, 20, 15],
    [100, 100, 1],
    [101, 100, 2],
  ])("counts ceil(%i / %i) = %i pages", (total, limit, pages) => {
    expect(pageWindow(total, { page: 1, limit }).pages).toBe(pages);
    expect(pageOf(numbers(total), 1, limit).pages).toBe(pages);
  });

  it("answers the reference's example: page 2 of 47 items by 10 is items 10..19 of 5 pages", () => {
    expect(pageOf(numbers(47), 2, 10)).toEqual({
      data: numbers(20).slice(10),
      page: 2,
      limit: 10,
      pages: 5,
      total: 47,
    });
  });

  it("gives a short last page", () => {
    expect(pageOf(numbers(47), 5, 10).data).toEqual([40, 41, 42, 43, 44, 45, 46]);
  });

  it("answers a page past the end with empty data and the true totals", () => {
    expect(pageOf(numbers(47), 6, 10)).toEqual({ data: [], page: 6, limit: 10, pages: 5, total: 47 });
    expect(pageOf([], 1, 20)).toEqual({ data: [], page: 1, limit: 20, pages: 0, total: 0 });
  });

  it("fetches only the requested page's window", () => {
    const asked: [number, number][] = [];
    paginate(1_000_000, { page: 3, limit: 25 }, (offset, limit) => {
      asked.push([offset, limit]);
      return [];
    });
    expect(asked).toEqual([[50, 25]]);
  });

  it("visits every item exactly once, in order, across all its pages", () => {
    fc.assert(
      fc.property(fc.nat({ max: 500 }), fc.integer({ min: 1, max: 100 }), (total, limit) => {
        const items = numbers(total);
        const first = pageOf(items, 1, limit);
        const seen = [];
        for (let page = 1; page <= first.pages; page++) seen.push(...pageOf(items, page, limit).data);
        expect(seen).toEqual(items);
        expect(first.pages).toBe(Math.ceil(total / limit));
        expect(pageOf(items, first.pages + 1, limit).data).toEqual([]);
      }),
    );
  });
});
