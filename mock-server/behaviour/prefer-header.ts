/**
 * Reads a `Prefer` header (RFC 7240) the way Prism does: preferences separated by commas, each
 * `token=value` or a bare `token`, values optionally in double quotes, `;`-parameters ignored; tokens are
 * case-insensitive, and when a token comes twice the first one counts. `code=404, example="not found"`.
 */
export function parsePrefer(header: string | string[]): Map<string, string> {
  const result = new Map<string, string>();
  const text = Array.isArray(header) ? header.join(",") : header;
  for (const preference of splitOutsideQuotes(text, ",")) {
    const [first = ""] = splitOutsideQuotes(preference, ";");
    const eq = first.indexOf("=");
    const token = (eq < 0 ? first : first.slice(0, eq)).trim().toLowerCase();
    if (token === "") continue;
    let value = eq < 0 ? "" : first.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!result.has(token)) result.set(token, value);
  }
  return result;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
