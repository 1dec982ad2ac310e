/** The pagination rule of the reference, as a pure function: which slice a page is, and how many pages. */
import type { Page } from "../../generated/rules.ts";

export interface PageRequest {
  /** 1-based page number. */
  page: number;
  /** Items per page. */
  limit: number;
}

/** A page of `T`s: the spec's envelope `{ data, page, limit, pages, total }` (ContactPage, ChatPage, ...). */
export type Envelope<T> = Page<T>;

/** The offset of a page's first item, and the page count `ceil(total / limit)` (0 when empty). */
export function pageWindow(total: number, { page, limit }: PageRequest): { offset: number; pages: number } {
  return { offset: (page - 1) * limit, pages: Math.ceil(total / limit) };
}

/** Builds the envelope for a page, fetching only that page's items (`fetch(offset, limit)`). */
export function paginate<T>(
  total: number,
  request: PageRequest,
  fetch: (offset: number, limit: number) => T[],
): Envelope<T> {
  const { offset, pages } = pageWindow(total, request);
  return { data: fetch(offset, request.limit), page: request.page, limit: request.limit, pages, total };
}
