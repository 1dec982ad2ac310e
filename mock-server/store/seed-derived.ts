/**
 * Contacts of a large seed past the first `FAKER_CONTACTS`: each is put together from the values of those
 * first, faker-made contacts (a first name from one, a last name from another, a phone from a third, ...),
 * picked by a small seeded generator. Faker took about 35 µs a contact (35 s for a million); this takes
 * about 1 µs, the same seed still gives the same bytes, and a seed of up to `FAKER_CONTACTS` contacts (the
 * default among them) is made by faker alone, exactly as before.
 */
import { blankContact } from "./contact-fields.ts";
import type { Contact } from "./types.ts";

/** How many contacts faker makes; any more are derived from them. */
export const FAKER_CONTACTS = 10_000;

/** What the faker-made contacts lend: themselves, and the parts their names and emails were made of. */
export interface ContactPool {
  contacts: readonly Contact[];
  firstNames: readonly string[];
  lastNames: readonly string[];
}

/**
 * Contacts `from` to `to - 1` (indexes in the whole seed), made from `pool` with the generator seeded by
 * `seed` (a 32-bit integer), each created at `createdAt(index)`. Each field other than the name, email and
 * times comes from a faker-made contact picked for that field alone.
 */
export function deriveContacts(
  pool: ContactPool,
  from: number,
  to: number,
  seed: number,
  createdAt: (index: number) => string,
): Contact[] {
  const next = uint32s(seed);
  const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
  const other = () => pick(pool.contacts);
  const out: Contact[] = [];
  for (let i = from; i < to; i++) {
    const firstName = pick(pool.firstNames);
    const lastName = pick(pool.lastNames);
    const domain = other().email?.split("@")[1] ?? "example.com";
    const created = createdAt(i);
    // Every field of the spec's Contact (a field it gains is null here until given a value below), in the
    // faker-made contacts' order: the same shape, and compact.
    out.push({
      ...blankContact(uuid(next), created),
      name: [firstName, lastName].join(" "),
      // The index keeps emails unique, as for the faker-made ones.
      email: `${firstName}.${lastName}.${i}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ""),
      phone: other().phone,
      ip: other().ip,
      origin: other().origin,
      description: other().description,
      country: other().country,
      zip_code: other().zip_code,
      city: other().city,
      state: other().state,
      address: other().address,
      company: other().company,
      lang: other().lang,
    });
  }
  return out;
}

/** 32-bit unsigned integers from a seed (mulberry32): small, fast, and the same for the same seed. */
export function uint32s(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const hex8 = (n: number) => n.toString(16).padStart(8, "0");

/** A version 4 UUID from the generator, as one flat string (joined, not concatenated: less memory). */
function uuid(next: () => number): string {
  const b = hex8(next());
  const c = hex8(next());
  const variant = "89ab"[next() & 3];
  return [
    hex8(next()),
    "-",
    b.slice(0, 4),
    "-4",
    b.slice(5),
    "-",
    variant,
    c.slice(1, 4),
    "-",
    c.slice(4),
    hex8(next()),
  ].join("");
}
