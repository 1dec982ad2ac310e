/**
 * Before any check: is the target reachable, does it speak this API (a JSON answer at a list operation),
 * and is the key accepted? Each failure is one line saying what to fix.
 */
export type PreflightResult =
  | { ok: true }
  | { ok: false; problem: "unreachable" | "not-this-api" | "key-refused"; message: string };

export async function preflight(target: {
  baseUrl: string;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}): Promise<PreflightResult> {
  const send = target.fetch ?? fetch;
  const url = `${target.baseUrl.replace(/\/+$/, "")}/contact?limit=1`;
  let response: Response;
  try {
    response = await send(url, { headers: target.apiKey === undefined ? {} : { "x-api-key": target.apiKey } });
  } catch (error) {
    return {
      ok: false,
      problem: "unreachable",
      message: `${target.baseUrl} is unreachable (${(error as Error).message}): check the URL and that the server runs.`,
    };
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return {
      ok: false,
      problem: "key-refused",
      message: `${target.baseUrl} refused the API key (${response.status}): check CONVERSEIQ_API_KEY or --api-key.`,
    };
  }
  const text = await response.text();
  try {
    JSON.parse(text);
  } catch {
    return {
      ok: false,
      problem: "not-this-api",
      message: `${url} did not answer JSON (${response.status}): is the base URL the API's (…/public/v1)?`,
    };
  }
  return { ok: true };
}
