/**
 * A whole state as JSON text, in pieces: a state of a million contacts is hundreds of megabytes, more than
 * one JavaScript string may hold, so it is written (to a file or a response) a batch of items at a time.
 */
import { Readable } from "node:stream";
import type { StateSnapshot } from "../store/types.ts";

/** Items per piece: big enough that pieces are few, small enough that each is a modest string. */
const BATCH = 1000;

/** The JSON text of a state, piece by piece; joined, it is `JSON.stringify(state)`. */
export function* stateJsonChunks(state: StateSnapshot): Generator<string> {
  const keys = Object.keys(state) as (keyof StateSnapshot)[];
  for (const [k, key] of keys.entries()) {
    const value = state[key];
    const prefix = `${k === 0 ? "{" : ","}${JSON.stringify(key)}:`;
    if (!Array.isArray(value)) {
      yield `${prefix}${JSON.stringify(value)}`;
      continue;
    }
    yield `${prefix}[`;
    for (let i = 0; i < value.length; i += BATCH) {
      const batch = JSON.stringify(value.slice(i, i + BATCH));
      // Each batch is a JSON array; its brackets are dropped and batches joined by commas.
      yield `${i === 0 ? "" : ","}${batch.slice(1, -1)}`;
    }
    yield "]";
  }
  yield keys.length === 0 ? "{}" : "}";
}

/** The state as a readable stream of JSON, for a response body. */
export function stateJsonStream(state: StateSnapshot): Readable {
  return Readable.from(stateJsonChunks(state), { objectMode: false });
}
