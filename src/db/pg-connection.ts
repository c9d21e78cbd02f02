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
    });
    // Until it is up, a failure is the attempt's own (thrown below); an 'error' without a
    // listener would crash the process.
    c.on('error', () => undefined);
    try {
      await c.connect();
      await options.onConnect?.(c, reconnected);
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      up = false;
      c.end().catch(() => undefined);
      schedule();
    };
    c.on('error', lost);
    c.on('end', lost);
    client = c;
    up = true;
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
