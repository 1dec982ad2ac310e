/**
 * A whole state as JSON text, in pieces: a state of a million contacts is hundreds of megabytes, more than
 * one JavaScript string may hold, so it is written (to a file or a response) a batch of items at a time.
 * No Node-only API here: the engine answers `GET /__admin/state` with `jsonBody`, in a browser too.
 */
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

/**
 * JSON text that a handler answers in pieces (`GET /__admin/state`), for the sender to write out: a stream
 * over HTTP, one body in the engine (`jsonBody`).
 */
export class JsonChunks {
  constructor(readonly chunks: Iterable<string>) {}
}

/**
 * Up to this many characters, pieces are joined into one string; past it they are written as UTF-8 bytes
 * instead. V8 caps a string at about 2^29 characters, and a large state's text is far beyond that.
 */
export const STRING_LIMIT = 32 * 1024 * 1024;

const encoder = new TextEncoder();

/** The pieces as one body: a string while they are small, UTF-8 bytes (written once, no copy per piece) past `limit`. */
export function jsonBody(chunks: Iterable<string>, limit = STRING_LIMIT): string | Uint8Array {
  const parts: string[] = [];
  let length = 0;
  let bytes: ByteWriter | undefined;
  for (const chunk of chunks) {
    if (bytes) {
      bytes.write(chunk);
      continue;
    }
    parts.push(chunk);
    length += chunk.length;
    if (length > limit) {
      // Most of the text is ASCII: a byte per character, with room to grow.
      bytes = new ByteWriter(length * 2);
      for (const part of parts) bytes.write(part);
      parts.length = 0;
    }
  }
  return bytes ? bytes.bytes() : parts.join("");
}

/** UTF-8 bytes written into one buffer that doubles when full. */
class ByteWriter {
  private buffer: Uint8Array;
  private used = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(capacity, 1024));
  }

  write(text: string): void {
    let rest = text;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.used);
  }
}
