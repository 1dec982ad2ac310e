/**
 * A `Response` whose body is the engine's own string or bytes, read without a stream. Why: in Node 20,
 * `new Response(text)` then `await response.text()` costs about 14 µs for a 9 KB page (undici's body is a
 * stream, read through promises), several times what the engine takes to answer it; this one hands the
 * text back as it is. It is a real `Response` (`instanceof Response`; status, statusText, ok, headers, type
 * and url are the base class's), made with no body of the base class's, and it keeps the web's rules for
 * its own: a body is read once (`bodyUsed`, then a TypeError), and `clone()` gives a copy with its own body.
 * Asked for its body as a stream (`body`), or for `blob()` or `formData()`, it makes a standard Response of
 * the same bytes and head and reads through that from then on, so a stream read, locked, cancelled or teed
 * counts as the platform counts it. lean-response.test.ts holds it to `new Response(sameBody, sameInit)`.
 *
 * Only for a body that is not empty: an answer with none is a plain `new Response(null, init)`. What it
 * cannot do: the base class's methods called on it (`Response.prototype.text.call(r)`) read the base
 * class's null body, an empty text.
 *
 * No Node API: the MSW handlers in a browser answer with it too.
 */

const encoder = new TextEncoder();
// As a Response decodes (UTF-8, a leading byte order mark dropped, bad bytes as U+FFFD).
const decoder = new TextDecoder();

/** `String.prototype.isWellFormed` (ES2024, in Node 20 and current browsers); a scan where it is missing. */
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !/[\uD800-\uDFFF]/.test(text) || decoder.decode(encoder.encode(text)) === text;

function unusable(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

export class LeanResponse extends Response {
  readonly #content: string | Uint8Array;
  #used = false;
  /**
   * A standard Response of the same body and head, made when the body is asked for as a stream; from
   * then on every read goes through it, so that a stream read, locked, cancelled or teed counts exactly as
   * the platform counts it.
   */
  #standard: Response | undefined;

  /** `content` must not be empty, and must not change afterwards (the response reads it when asked). */
  constructor(content: string | Uint8Array, init: ResponseInit) {
    super(null, init);
    this.#content = content;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.#delegate().body as ReadableStream<Uint8Array<ArrayBuffer>>;
  }

  override get bodyUsed(): boolean {
    return this.#standard?.bodyUsed ?? this.#used;
  }

  override text(): Promise<string> {
    if (this.#standard) return this.#standard.text();
    if (this.#used) return Promise.reject(unusable());
    this.#used = true;
    return Promise.resolve(this.#text());
  }

  override json(): Promise<unknown> {
    if (this.#standard) return this.#standard.json();
    if (this.#used) return Promise.reject(unusable());
    this.#used = true;
    try {
      return Promise.resolve(JSON.parse(this.#text()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#standard) return this.#standard.arrayBuffer();
    if (this.#used) return Promise.reject(unusable());
    this.#used = true;
    return Promise.resolve(this.#copy().buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    // Through arrayBuffer(): a browser's Response may have no bytes() yet (Chrome before 132), this one has.
    if (this.#standard) return this.#standard.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    if (this.#used) return Promise.reject(unusable());
    this.#used = true;
    return Promise.resolve(this.#copy());
  }

  // Rare, and their results hang on the content type as the platform parses it: the standard Response answers.
  override blob(): Promise<Blob> {
    return this.#delegate().blob();
  }

  override formData(): Promise<FormData> {
    return this.#delegate().formData();
  }

  override clone(): Response {
    if (this.#standard) return this.#standard.clone();
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new LeanResponse(this.#content, this);
  }

  /** The standard Response, made once; if the body was read here already, it is read there too (used, locked). */
  #delegate(): Response {
    if (this.#standard === undefined) {
      const { status, statusText, headers } = this;
      this.#standard = new Response(this.#copy(), { status, statusText, headers });
      if (this.#used) void this.#standard.arrayBuffer();
    }
    return this.#standard;
  }

  /** The body as a Response's text() gives it: decoded from UTF-8 as sent, without a byte order mark. */
  #text(): string {
    const content = this.#content;
    if (typeof content !== "string") return decoder.decode(content);
    if (!wellFormed(content)) return decoder.decode(encoder.encode(content));
    return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  }

  /** The body as new bytes of its own, which the reader may change or transfer. */
  #copy(): Uint8Array<ArrayBuffer> {
    const content = this.#content;
    return typeof content === "string" ? encoder.encode(content) : new Uint8Array(content);
  }
}
