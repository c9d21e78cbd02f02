import pg from 'pg';

/** A dedicated Postgres connection that comes back by itself after it drops. */
export interface KeptConnection {
  /** Whether the connection is open now. */
  readonly up: boolean;
  /** Closes it for good (no more reconnects). */
  close(): Promise<void>;
}

export interface KeepConnectedOptions {
  url: string;
  /** Shown in `pg_stat_activity.application_name` (at most 63 bytes). */
  applicationName: string;
  /** Runs on every (re)connection before it counts as up, e.g. to LISTEN; a throw drops it. */
  onConnect?: (client: pg.Client, reconnected: boolean) => Promise<void>;
  /** Wait between attempts after a drop or a failed attempt. */
  retryMs?: number;
  /** How long one connection attempt may take before it counts as failed (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * Every `heartbeatMs` a `select 1` runs on the connection; one unanswered after
   * `heartbeatTimeoutMs` counts as a drop. A peer that vanished (machine or network gone) closes
   * nothing, so without it the connection would look up for as long as the kernel keeps the
   * socket (hours). Off when undefined.
   */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /**
   * Session settings applied on every (re)connection, e.g. the server's TCP keepalive, so the
   * server too drops this session soon after this node vanishes. Settings this server does not
   * know are skipped.
   */
  settings?: Record<string, string>;
}

/**
 * Opens a connection outside the pool (LISTEN and presence need one session that stays) and
 * keeps it open: when the server restarts or the session is killed, it reconnects every
 * `retryMs` until it succeeds or is closed. The first connection is awaited, and its failure
 * thrown, so a node with a wrong URL fails at start rather than retrying forever.
 */
export async function keepConnected(options: KeepConnectedOptions): Promise<KeptConnection> {
  const retryMs = options.retryMs ?? 250;
  let client: pg.Client | undefined;
  let up = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const open = async (reconnected: boolean): Promise<void> => {
    const c = new pg.Client({
      connectionString: withoutApplicationName(options.url),
      application_name: options.applicationName,
      keepAlive: true,
      // An attempt into a network that drops packets would otherwise wait out the kernel's SYN
      // retries (about 2 min), and the connection would stay down that long after the network
      // came back.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    });
    // Until it is up, a failure is the attempt's own (thrown below); an 'error' without a
    // listener would crash the process.
    c.on('error', () => undefined);
    try {
      await c.connect();
      if (options.settings) await applySettings(c, options.settings);
      await options.onConnect?.(c, reconnected);
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    let beat: NodeJS.Timeout | undefined;
    const lost = () => {
      if (beat) clearInterval(beat);
      if (client !== c) return;
      client = undefined;
      up = false;
      c.end().catch(() => undefined);
      // On a dead peer `end` waits for a goodbye that never comes: drop the socket now.
      (
        c as unknown as { connection?: { stream?: { destroy(): void } } }
      ).connection?.stream?.destroy();
      schedule();
    };
    c.on('error', lost);
    c.on('end', lost);
    client = c;
    up = true;
    if (options.heartbeatMs !== undefined) {
      const timeoutMs = options.heartbeatTimeoutMs ?? options.heartbeatMs * 3;
      let sentAt: number | undefined;
      beat = setInterval(
        () => {
          if (sentAt !== undefined) {
            const late = sentAt;
            // After the event loop was blocked, timers run before pending I/O: let an answer
            // that already arrived be read before calling the connection dead.
            if (Date.now() - late >= timeoutMs)
              setImmediate(() => {
                if (sentAt === late) lost();
              });
            return;
          }
          const at = Date.now();
          sentAt = at;
          c.query('select 1').then(
            () => {
              if (sentAt === at) sentAt = undefined;
            },
            () => lost(),
          );
        },
        Math.min(options.heartbeatMs, timeoutMs),
      );
      beat.unref?.();
    }
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      open(true).catch(() => schedule());
    }, retryMs);
    retry.unref?.();
  };

  await open(false);
  return {
    get up() {
      return up;
    },
    async close() {
      closed = true;
      up = false;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => undefined);
    },
  };
}

/** Sets each known setting for the session; names come from the code, values are bound. */
async function applySettings(c: pg.Client, settings: Record<string, string>): Promise<void> {
  const names = Object.keys(settings);
  await c.query(
    `select set_config(s.name, s.value, false)
     from unnest($1::text[], $2::text[]) as s(name, value)
     where s.name in (select name from pg_settings)`,
    [names, names.map((n) => settings[n])],
  );
}

/**
 * The URL without an `application_name` parameter: pg lets the URL's win over the option, and
 * this connection's name is what other nodes look for.
 */
function withoutApplicationName(url: string): string {
  try {
    const u = new URL(url);
    if (!u.searchParams.has('application_name')) return url;
    u.searchParams.delete('application_name');
    return u.toString();
  } catch {
    return url;
  }
}
