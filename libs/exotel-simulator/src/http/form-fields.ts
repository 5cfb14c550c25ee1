/**
 * Form parameters of a v1 request, with Exotel's three array spellings folded together:
 * `Key[]=a&Key[]=b`, `Key[0]=a&Key[1]=b` and a repeated `Key=a&Key=b` all read as `Key: [a, b]`
 * (indexed entries in index order). Other bracketed keys (`Legs[0][Status]`) are kept as written.
 */
export class FormFields {
  private readonly values = new Map<string, { index: number; order: number; value: string }[]>();
  private order = 0;

  /** Adds one `name=value` pair as it appeared in the body. */
  add(name: string, value: string): void {
    const match = /^(.+?)\[(\d*)\]$/.exec(name);
    const key = match ? match[1] : name;
    const index = match && match[2] !== '' ? Number(match[2]) : Number.MAX_SAFE_INTEGER;
    let entries = this.values.get(key);
    if (!entries) this.values.set(key, (entries = []));
    entries.push({ index, order: this.order++, value });
  }

  /** The first value of `key`, or undefined. */
  get(key: string): string | undefined {
    return this.values.get(key)?.[0]?.value;
  }

  /** Every value of `key`, in index order for `Key[n]`, else in body order. */
  getAll(key: string): string[] {
    const entries = this.values.get(key);
    if (!entries) return [];
    return [...entries].sort((a, b) => a.index - b.index || a.order - b.order).map((entry) => entry.value);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** A plain object for recording: single values as strings, repeated ones as arrays. */
  toObject(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const key of this.values.keys()) {
      const all = this.getAll(key);
      out[key] = all.length === 1 ? all[0] : all;
    }
    return out;
  }

  /** Reads an `application/x-www-form-urlencoded` body or query string. */
  static fromUrlEncoded(text: string, into = new FormFields()): FormFields {
    if (text.length === 0) return into;
    for (const [name, value] of new URLSearchParams(text)) into.add(name, value);
    return into;
  }
}
