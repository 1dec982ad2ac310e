/**
 * Test doubles for `fetch`: a function from Request to Response, with every request it was given
 * kept for the test to read. No socket is opened.
 */

export interface FakeFetch {
  fetch: (request: Request) => Promise<Response>;
  /** Every request received, in order. */
  requests: Request[];
}

export function fakeFetch(answer: (request: Request) => Response | Promise<Response>): FakeFetch {
  const requests: Request[] = [];
  return {
    requests,
    fetch: async (request) => {
      requests.push(request);
      return answer(request);
    },
  };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * Answers a list GET as the API does: `page` from 1, `limit` 20 by default, the envelope around the
 * slice; a page past the end has empty `data`. `pages` is 0 when there are no items.
 */
export function listOf(items: readonly unknown[]): (request: Request) => Response {
  return (request) => {
    const query = new URL(request.url).searchParams;
    const page = Number(query.get("page") ?? 1);
    const limit = Number(query.get("limit") ?? 20);
    const data = items.slice((page - 1) * limit, page * limit);
    return json({ data, page, limit, pages: Math.ceil(items.length / limit), total: items.length });
  };
}
