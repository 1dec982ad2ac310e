/**
 * A query string as an object, by fast-querystring's rules: `+` is a space, a name given twice has an
 * array of its values, a name with no `=` has the empty string, and a name or value whose percent-encoding
 * is malformed is kept as sent (where `URLSearchParams` would keep the bad escape and decode the rest). No
 * prototype: `__proto__` is a name like any other. Validation judges what these rules give, so they are
 * kept as they are: answers stay byte for byte what clients already get.
 */
export function parseQuery(search: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  if (search === "") return result;
  for (const pair of search.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    const current = result[key];
    if (current === undefined) result[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else result[key] = [current, value];
  }
  return result;
}

function decode(text: string): string {
  const spaced = text.includes("+") ? text.replace(/\+/g, " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
