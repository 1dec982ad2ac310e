/**
 * Keeps a secret (the API key) out of text that may end up in a log line or an error message.
 * The key can come back in other spellings than its own: escaped inside a JSON string, or
 * percent-encoded inside a URL, so every spelling is masked.
 */
export const REDACTED = "[REDACTED]";

export interface Redactor {
  /** The text with every spelling of the secret replaced by `[REDACTED]`. */
  redact(text: string): string;
  /** Whether the text holds the secret in any spelling. */
  leaks(text: string): boolean;
}

export function createRedactor(secret: string): Redactor {
  // An empty secret would match everywhere; createClient refuses one before it gets here.
  if (secret === "") throw new TypeError("createRedactor: the secret must not be empty");
  const spellings = [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
  const redact = (text: string) => spellings.reduce((out, spelling) => out.replaceAll(spelling, REDACTED), text);
  return { redact, leaks: (text) => spellings.some((spelling) => text.includes(spelling)) };
}
