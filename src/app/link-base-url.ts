import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';

const wildcard = new Set(['0.0.0.0', '::', '[::]']);
const loopback = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * The base of the links Tocsin puts in what it sends (pages' "open incident" and acknowledge
 * links, status-page confirmation and unsubscribe links): TOCSIN_PUBLIC_URL when set. Without
 * it, the address Tocsin listens on, with a wildcard address (`0.0.0.0`, `::`), which nobody can
 * open, replaced by the machine's host name. Logs a warning when links are guessed for a server
 * others reach (any address but loopback), since they may still not be the URL users use.
 */
export function linkBaseUrl(
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'roles'>,
  logger: Logger,
) {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = wildcard.has(config.host) ? hostname() : config.host;
  const base = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`;
  // Only a serving process warns (CLI commands build the app with no roles).
  if (!loopback.has(config.host) && config.roles.length > 0) {
    logger.warn(
      { linkBase: base },
      `TOCSIN_PUBLIC_URL is not set: links in notifications and status-page emails will point to ${base}; set it to the URL people reach Tocsin at`,
    );
  }
  return base;
}
