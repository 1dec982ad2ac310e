/** What the engine's tests share: an engine answer's body as text (it is a string, bytes, or none). */
import type { EngineResponse } from "../engine/types.ts";

const utf8 = new TextDecoder();

export const bodyText = (body: EngineResponse["body"]): string =>
  body === undefined ? "" : typeof body === "string" ? body : utf8.decode(body);
