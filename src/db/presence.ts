import { hostname } from 'node:os';
import { sql } from 'kysely';
import { randomToken } from '../core/ids.js';
import type { Store } from './database.js';
import type { HolderLiveness } from './lease.js';
import { keepConnected, type KeptConnection } from './pg-connection.js';

/*
 * Presence on Postgres: how one node learns that another node's process is gone, so the module
 * leases it held when it died are freed at once instead of after their TTL (a minute without
 * escalations). Each engine process keeps one connection open whose application_name carries its
 * lease holder's token. The server drops a session the moment its process dies (the kernel closes
 * the socket), and the name leaves `pg_stat_activity`, which every role may read.
 *
 * A holder is judged gone only if
 *  - its token is marked as advertised (`pg.` prefix), so a node that keeps no such connection
 *    (an older version during an upgrade) is never judged;
 *  - this node sees its own presence through a pooled connection, so the view is one it can
 *    trust (behind a transaction-mode pooler, idle sessions are not server sessions and nobody
 *    would look alive: then nobody is judged);
 *  - its name is missing twice, `confirmMs` apart, so a live node whose session dropped and came
 *    straight back (a server-side kill, a network blip) keeps its leases.
 * A node whose own presence is down takes no leases and stops its cycle (`selfAlive`), since
 * the others may judge it gone.
 */

const applicationPrefix = 'tocsin-engine ';
const tokenMark = 'pg.';

/** The token part of a `host:pid:token` holder name. */
function tokenOf(holder: string): string {
  return holder.slice(holder.lastIndexOf(':') + 1);
}

export interface PgPresence extends HolderLiveness {
  /** The lease holder name this process advertises: `host:pid:pg.<random>`. */
  readonly holder: string;
  close(): Promise<void>;
}

export interface PgPresenceOptions {
  /** Wait between the two looks before a missing holder is judged gone. */
  confirmMs?: number;
  /** Wait between reconnection attempts when this node's own presence drops. */
  retryMs?: number;
  /** How often this node checks its own presence connection answers (default 1 s). */
  heartbeatMs?: number;
  /** An unanswered check after this long counts as the connection lost (default 3 s). */
  heartbeatTimeoutMs?: number;
}

/**
 * The server's side of the presence session: TCP keepalive probes after 5 s without traffic,
 * 1 s apart, 3 unanswered ones (or 8 s of unacknowledged data) end it. So when a node's machine
 * or network goes away, which closes no socket, its session still leaves `pg_stat_activity`
 * about 8 s later instead of at the kernel's default (hours), and the others take over. The
 * node itself stops first: its own heartbeat gives up after 3 s. Ignored on Unix sockets.
 */
const serverKeepalive = {
  tcp_keepalives_idle: '5',
  tcp_keepalives_interval: '1',
  tcp_keepalives_count: '3',
  tcp_user_timeout: '8000',
};

/** Opens this process's presence connection on a Postgres store. */
export async function openPgPresence(
  store: Store,
  options: PgPresenceOptions = {},
): Promise<PgPresence> {
  if (store.dialect !== 'postgres' || !store.url) throw new Error('presence needs Postgres');
  const confirmMs = options.confirmMs ?? 1000;
  const token = `${tokenMark}${randomToken(9)}`;
  const holder = `${hostname()}:${process.pid}:${token}`;
  const connection: KeptConnection = await keepConnected({
    url: store.url,
    applicationName: `${applicationPrefix}${token}`,
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    heartbeatMs: options.heartbeatMs ?? 1000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 3000,
    settings: serverKeepalive,
  });

  /** Tokens of the engine processes connected to this database now. */
  const liveTokens = async (): Promise<Set<string>> => {
    const rows = await sql<{ name: string }>`
      select application_name as name from pg_stat_activity
      where datname = current_database() and application_name like ${`${applicationPrefix}%`}`.execute(
      store.db,
    );
    return new Set(rows.rows.map((r) => r.name.slice(applicationPrefix.length)));
  };

  return {
    holder,
    selfAlive: () => connection.up,
    async gone(holders) {
      const judged = new Set<string>();
      let suspects = holders.filter((h) => tokenOf(h).startsWith(tokenMark) && h !== holder);
      if (suspects.length === 0 || !connection.up) return judged;
      for (let look = 0; look < 2; look++) {
        if (look > 0) await new Promise((r) => setTimeout(r, confirmMs));
        const live = await liveTokens();
        if (!live.has(token) || !connection.up) return judged;
        suspects = suspects.filter((h) => !live.has(tokenOf(h)));
        if (suspects.length === 0) return judged;
      }
      for (const h of suspects) judged.add(h);
      return judged;
    },
    close: () => connection.close(),
  };
}
