/**
 * Items kept in insertion order, with O(1) lookup by id and pages that cost O(log n + limit) however
 * large the collection is and however many items were removed.
 *
 * Removal leaves a hole (so ids keep their slots); a Fenwick tree counts the live slots, so the k-th live
 * item is found in O(log n) without walking the holes before it. When holes outnumber live items the
 * slots are compacted, which is O(n) but happens at most once per n removals.
 */
export class OrderedCollection<T> {
  private slots: (T | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  /** Fenwick tree over slots: 1 for a live slot, 0 for a hole. 1-based. */
  private tree = new Int32Array(1);
  private holes = 0;

  constructor(private readonly idOf: (item: T) => string) {}

  get size(): number {
    return this.slotOf.size;
  }

  get(id: string): T | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Appends an item; its id must be new. */
  add(item: T): void {
    const id = this.idOf(item);
    if (this.slotOf.has(id)) throw new Error(`duplicate id ${id}`);
    const slot = this.slots.length;
    this.slots.push(item);
    this.slotOf.set(id, slot);
    if (slot + 1 >= this.tree.length) this.rebuild(Math.max(16, (slot + 1) * 2));
    else this.bump(slot, 1);
  }

  /** Replaces an item in its place (same id), keeping its position in the order. */
  replace(item: T): void {
    const slot = this.slotOf.get(this.idOf(item));
    if (slot === undefined) throw new Error(`unknown id ${this.idOf(item)}`);
    this.slots[slot] = item;
  }

  remove(id: string): T | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const item = this.slots[slot];
    this.slots[slot] = undefined;
    this.slotOf.delete(id);
    this.bump(slot, -1);
    this.holes++;
    if (this.holes > 64 && this.holes > this.slotOf.size) this.compact();
    return item;
  }

  /**
   * Up to `limit` items starting at the `offset`-th, oldest first (`asc`) or newest first (`desc`).
   */
  slice(offset: number, limit: number, order: "asc" | "desc" = "asc"): T[] {
    const live = this.size;
    if (offset >= live || limit <= 0) return [];
    const out: T[] = [];
    if (order === "asc") {
      for (let slot = this.slotOfRank(offset + 1); slot < this.slots.length && out.length < limit; slot++) {
        const item = this.slots[slot];
        if (item !== undefined) out.push(item);
      }
    } else {
      for (let slot = this.slotOfRank(live - offset); slot >= 0 && out.length < limit; slot--) {
        const item = this.slots[slot];
        if (item !== undefined) out.push(item);
      }
    }
    return out;
  }

  *values(): IterableIterator<T> {
    for (const item of this.slots) if (item !== undefined) yield item;
  }

  /** The slot of the k-th live item (1-based). */
  private slotOfRank(k: number): number {
    if (this.holes === 0) return k - 1;
    let pos = 0;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && (this.tree[next] ?? 0) < k) {
        pos = next;
        k -= this.tree[next] ?? 0;
      }
    }
    return pos; // pos is 1-based index of the last slot before the answer, i.e. the 0-based answer
  }

  private bump(slot: number, delta: number): void {
    for (let i = slot + 1; i < this.tree.length; i += i & -i) this.tree[i] = (this.tree[i] ?? 0) + delta;
  }

  private rebuild(capacity: number): void {
    this.tree = new Int32Array(capacity + 1);
    for (let i = 1; i < this.tree.length; i++) {
      if (i <= this.slots.length && this.slots[i - 1] !== undefined) this.tree[i] = (this.tree[i] ?? 0) + 1;
      const parent = i + (i & -i);
      if (parent < this.tree.length) this.tree[parent] = (this.tree[parent] ?? 0) + (this.tree[i] ?? 0);
    }
  }

  private compact(): void {
    const live = this.slots.filter((item): item is T => item !== undefined);
    this.slots = live;
    this.slotOf.clear();
    for (const [slot, item] of live.entries()) this.slotOf.set(this.idOf(item), slot);
    this.holes = 0;
    this.rebuild(Math.max(16, live.length * 2));
  }
}
