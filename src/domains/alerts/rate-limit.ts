/**
 * A fixed-window count of events per key and minute, in process memory. Limits are per node:
 * with N API nodes a key can reach N× its limit, which is acceptable for a flood guard (a
 * store-backed counter would cost a write per request on the hottest path; ADR 0004).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { minute: number; count: number }>();

  /**
   * Charges `events` to `key` if they fit under `limit` in this minute, and returns 0; else
   * charges nothing (the request is refused whole) and returns the seconds until the window
   * ends. A batch larger than the whole limit is taken into an empty window, which it then
   * fills: refused, it would be refused every minute, and a notification that large comes with
   * a large outage, when it matters most. Sources cap a request's events (maxEventsPerRequest),
   * so that bounds what one window can take.
   */
  take(key: string, limit: number, events: number, now: number): number {
    const minute = Math.floor(now / 60_000);
    let w = this.windows.get(key);
    if (!w || w.minute !== minute) {
      if (this.windows.size > 100_000) this.windows.clear();
      w = { minute, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count > 0 && w.count + events > limit) {
      return Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
    }
    w.count += events;
    return 0;
  }
}
