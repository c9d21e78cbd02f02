import type { Logger } from '../core/logger.js';

/**
 * The service TOCSIN_SELF_ALERT_SERVICE names, matched as the CLI matches `--service`: by id,
 * else by exact name, else by name ignoring case (`tocsin` finds `Tocsin`). Among several of one
 * name, the first (the start-up warning says so).
 */
export function matchSelfAlertService<T extends { id: string; name: string }>(
  services: readonly T[],
  target: string,
): T[] {
  const byId = services.find((s) => s.id === target);
  if (byId) return [byId];
  const exact = services.filter((s) => s.name === target);
  if (exact.length) return exact;
  const lower = target.toLowerCase();
  return services.filter((s) => s.name.toLowerCase() === lower);
}

/** At start: one warning when TOCSIN_SELF_ALERT_SERVICE names no service, or several. */
export function checkSelfAlertService(
  services: ReadonlyArray<{ id: string; name: string }>,
  target: string | undefined,
  logger: Logger,
): void {
  if (!target) return;
  const found = matchSelfAlertService(services, target);
  if (found.length === 0) {
    logger.warn(
      { target },
      'TOCSIN_SELF_ALERT_SERVICE names no service: Tocsin cannot raise its own alerts (e.g. a notifier outage) until a service of that name or id exists',
    );
  } else if (found.length > 1) {
    logger.warn(
      { target, serviceIds: found.map((s) => s.id), using: found[0]!.id },
      'TOCSIN_SELF_ALERT_SERVICE names several services: set it to the id of one',
    );
  }
}
