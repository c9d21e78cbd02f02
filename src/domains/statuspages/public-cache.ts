/*
 * The public pages' in-memory cache. A status page is read far more than it changes, and most
 * during an outage, when the store is busiest. Each entry holds the built value and the
 * renderings made from it (HTML, JSON), so a hit is a map lookup and a string send.
 *
 * - A write to the page drops its entry (`invalidate`): the next read rebuilds, and every read
 *   arriving meanwhile waits for that one rebuild (single flight).
 * - An entry older than the TTL (what the page derives from incidents and checks changes without
 *   the page being written) is served as is while one rebuild runs in the background, but only
 *   up to `maxStaleMs` old: a page nobody read for a while is rebuilt before it is served, so
 *   the first visitor after a quiet hour does not see the figures of an hour ago.
 * - When a rebuild fails (the store is briefly unavailable) the last value keeps being served.
 *   Only a page never built fails.
 */

const retryMs = 1000;

interface Entry<V> {
  value: V | undefined;
  renders: Map<string, unknown>;
  builtAt: number;
  dirty: boolean;
  /** The last rebuild failed: the value is from before it. */
  failed: boolean;
  pending: Promise<Entry<V>> | undefined;
}

/** A cached value and the renderings made from it. */
export interface Cached<V> {
  value: V;
  /** The rendering for `key`, made once per build. */
  render<T>(key: string, make: (value: V) => T): T;
  /** True when the value is from before a failed rebuild. */
  stale: boolean;
}

/** A keyed cache with single-flight rebuilds, stale-while-revalidate and stale-if-error. */
export class PublicCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly options: {
      now: () => number;
      ttlMs: number;
      /** An entry older than this (default 60 s) is rebuilt before it is served, unless the store is down. */
      maxStaleMs?: number;
      build: (key: string) => Promise<V>;
      onError?: (key: string, err: unknown) => void;
      /** At most this many keys are kept (the least recently built go first). */
      maxEntries?: number;
    },
  ) {}

  /** The value for `key`, built or rebuilt as needed. Throws only when nothing was ever built. */
  async get(key: string): Promise<Cached<V>> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        value: undefined,
        renders: new Map(),
        builtAt: 0,
        dirty: true,
        failed: false,
        pending: undefined,
      };
      this.entries.set(key, entry);
      this.trim();
    }
    if (entry.value === undefined || entry.dirty) {
      const built = await this.rebuild(key, entry);
      return this.view(built);
    }
    const age = this.options.now() - entry.builtAt;
    if (age >= (this.options.maxStaleMs ?? 60_000) && !entry.failed) {
      // Too old to serve while refreshing: wait for the rebuild (which, should the store be
      // down, hands back this value marked stale).
      return this.view(await this.rebuild(key, entry));
    }
    if (age >= this.options.ttlMs) void this.rebuild(key, entry);
    return this.view(entry);
  }

  /** Drops what `key` holds so the next read rebuilds (keeping it for stale-if-error). */
  invalidate(key?: string): void {
    if (key === undefined) for (const e of this.entries.values()) e.dirty = true;
    else {
      const e = this.entries.get(key);
      if (e) e.dirty = true;
    }
  }

  /**
   * Marks every entry as past its TTL: the next read still gets the current value at once and
   * starts one background rebuild (what linked incidents or checks changing calls).
   */
  expireAll(): void {
    const pastTtl = this.options.now() - this.options.ttlMs;
    for (const e of this.entries.values()) e.builtAt = Math.min(e.builtAt, pastTtl);
  }

  /** Forgets `key` entirely (a page deleted or renamed). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  private view(entry: Entry<V>): Cached<V> {
    if (entry.value === undefined) throw new Error('unreachable: entry without value');
    const value = entry.value;
    const renders = entry.renders;
    return {
      value,
      stale: entry.failed,
      render<T>(key: string, make: (value: V) => T): T {
        if (renders.has(key)) return renders.get(key) as T;
        const made = make(value);
        renders.set(key, made);
        return made;
      },
    };
  }

  private rebuild(key: string, entry: Entry<V>): Promise<Entry<V>> {
    if (entry.pending) return entry.pending;
    // Marked before building: a write during the build marks it dirty again, so it is rebuilt.
    entry.dirty = false;
    const startedAt = this.options.now();
    entry.pending = this.options
      .build(key)
      .then(
        (value) => {
          entry.value = value;
          entry.renders = new Map();
          entry.builtAt = startedAt;
          entry.failed = false;
          return entry;
        },
        (err: unknown) => {
          this.options.onError?.(key, err);
          if (entry.value === undefined) {
            this.entries.delete(key);
            throw err;
          }
          // Keep serving the last value; retry in the background a second from now rather
          // than making every request wait on a store that is down.
          entry.failed = true;
          entry.builtAt = this.options.now() - this.options.ttlMs + retryMs;
          return entry;
        },
      )
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  }

  private trim(): void {
    const max = this.options.maxEntries ?? 1000;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
