/**
 * Requests to a replica over real HTTP, as a client behind a load balancer sends them: the public API with
 * the default key, whole lists read page by page, and the replica's whole state (`GET /__admin/state`).
 */
import { API_BASE_PATH } from "../../../generated/rules.ts";
import { DEFAULT_API_KEY } from "../../mock-options.ts";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

/** Generous: the machine may be busy, and a replica may be catching up. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One request to the public API of the replica at `origin` (`path` below /public/v1). */
export async function call(origin: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return send(`${origin}${API_BASE_PATH}${path}`, method, body);
}

/** One request to the admin API of the replica at `origin` (`path` below /__admin). */
export async function admin(origin: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return send(`${origin}/__admin${path}`, method, body);
}

async function send(url: string, method: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      "x-api-key": DEFAULT_API_KEY,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  pages: number;
  total: number;
}

/** One page of a list, which must answer 200. */
export async function page<T = Record<string, unknown>>(
  origin: string,
  path: string,
  number: number,
  limit: number,
): Promise<Page<T>> {
  const answer = await call(origin, "GET", `${path}?page=${number}&limit=${limit}`);
  if (answer.status !== 200)
    throw new Error(`GET ${origin}${path} page ${number} answered ${answer.status}: ${answer.text}`);
  return answer.json as Page<T>;
}

/** Every item of a list, read 100 at a time. */
export async function everything<T = Record<string, unknown>>(origin: string, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let n = 1; ; n++) {
    const { data, pages } = await page<T>(origin, path, n, 100);
    items.push(...data);
    if (n >= pages) return items;
  }
}

/** The replica's whole state as the admin API exports it (text, so equal states compare equal as text). */
export async function exportedState(origin: string): Promise<string> {
  const answer = await admin(origin, "GET", "/state");
  if (answer.status !== 200) throw new Error(`GET ${origin}/__admin/state answered ${answer.status}: ${answer.text}`);
  return answer.text;
}

/**
 * Sends again while the answer is 503 (a replica whose Redis is not back for it yet), as a client honouring
 * `Retry-After` would, a quarter second apart: a bounded wait (30 s) for the replica to reconnect, which it
 * does by itself. The last answer, whatever it is.
 */
export async function retryWhileUnavailable(send: () => Promise<Answer>): Promise<Answer> {
  let answer = await send();
  for (let attempt = 1; attempt < 120 && answer.status === 503; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await send();
  }
  return answer;
}
