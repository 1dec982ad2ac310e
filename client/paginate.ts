/**
 * Walks every item of a list operation, page after page.
 *
 * The list operations are found by type in `paths`: the GETs whose 200 answer is the envelope
 * `{ data, page, limit, pages, total }`. A new list operation in the spec is paginable as soon as
 * the types are generated again; nothing here names a path.
 */
import type { Page } from "../generated/rules.ts";
import type { paths } from "../generated/types.ts";
import type { CallArgs, CallInit, ConverseIQClient } from "./client-type.ts";
import { PageError } from "./page-error.ts";

/** The envelope of every list answer (ContactPage, ChatPage, ...), as the spec declares it. */
type ListEnvelope = Page<unknown>;

/** The JSON body of a GET's 200 answer, matched against `Shape`. */
type Get200<Shape> = { get: { responses: { 200: { content: { "application/json": Shape } } } } };

/** Every path whose GET answers the list envelope: "/contact" | "/chat/{chatId}/message" | ... */
export type ListPath = { [P in keyof paths]: paths[P] extends Get200<ListEnvelope> ? P : never }[keyof paths];

/** The type of one item of a list path's `data`. */
export type ListItem<P extends ListPath> = paths[P] extends Get200<{ data: (infer Item)[] }> ? Item : never;

/** What the GET of a list path takes (params, headers, signal...), less what would break the walk. */
export type ListInit<P extends ListPath> = Omit<CallInit<paths[P]["get"]>, "body">;

/** The one call paginate makes, without the generics: `P` is open inside the function body. */
type LooseGet = (
  path: string,
  init: { params: { query: Record<string, unknown> } },
) => Promise<{ data?: ListEnvelope; error?: unknown; response: Response }>;

/**
 * Yields every item of a list operation, asking for page after page until the answer's `pages`.
 *
 * - Starts at `params.query.page` if given, else 1; keeps `limit` and the other parameters.
 * - Each page is asked once; the last one asked is the `pages` of the latest answer (or the first,
 *   when `pages` is 0). An empty page also ends the walk, so a wrong `pages` cannot make it loop.
 * - Offset pagination, not a snapshot: items written during the walk can be skipped or seen twice.
 * - An error answer throws a `PageError` (status, code, the server's message; never the API key),
 *   after the items of the pages before it have been yielded.
 */
export async function* paginate<P extends ListPath>(
  client: ConverseIQClient,
  path: P,
  ...[init]: CallArgs<ListInit<P>>
): AsyncGenerator<ListItem<P>, void, undefined> {
  const get = client.GET as unknown as LooseGet;
  const params = (init?.params ?? {}) as { query?: Record<string, unknown> };
  let page = typeof params.query?.page === "number" ? params.query.page : 1;
  for (;;) {
    const { data, error, response } = await get(path, {
      ...init,
      params: { ...params, query: { ...params.query, page } },
    });
    if (data === undefined) throw new PageError(path, page, response, error);
    yield* data.data as ListItem<P>[];
    if (page >= data.pages || data.data.length === 0) return;
    page += 1;
  }
}
