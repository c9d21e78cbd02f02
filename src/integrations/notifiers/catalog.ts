import { AppError } from '../../core/errors.js';
import type { NotifierCatalog } from '../../domains/notifications/index.js';
import { scrubSecrets, secretValues, type Notifier, type SendOutcome } from './notifier.js';

/** What every notifier call shares: the guarded fetch, the timeout, the public URL. */
export interface CatalogContext {
  fetch: typeof fetch;
  timeoutMs: number;
  publicUrl: string | undefined;
}

/**
 * Turns the list of notifiers into the catalog the notifications domain calls: settings are
 * validated by each notifier's zod schema (errors name `config.<field>`), and every outcome's
 * reason is scrubbed of the notifier's secrets once more, whatever the notifier did.
 */
export function createNotifierCatalog(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each notifier has its own config type
  notifiers: ReadonlyArray<Notifier<any>>,
  ctx: CatalogContext,
): NotifierCatalog {
  const byId = new Map(notifiers.map((n) => [n.id, n]));
  const get = (id: string) => {
    const n = byId.get(id);
    if (!n)
      throw new AppError({
        kind: 'not_found',
        code: 'NOTIFIER_NOT_FOUND',
        message: `No notifier ${id}`,
      });
    return n;
  };
  const scrubbed = (n: Notifier<unknown>, config: unknown, out: SendOutcome): SendOutcome =>
    out.ok
      ? out
      : { ...out, reason: scrubSecrets(out.reason, secretValues(config, n.secretFields)) };
  return {
    entries: () =>
      notifiers.map((n) => ({
        id: n.id,
        label: n.label,
        secretFields: n.secretFields,
        capabilities: n.capabilities,
      })),
    parseConfig(id, raw) {
      const parsed = get(id).configSchema.safeParse(raw ?? {});
      if (parsed.success) return parsed.data as Record<string, unknown>;
      const issue = parsed.error.issues[0]!;
      const field = ['config', ...issue.path.map(String)].join('.');
      throw new AppError({
        kind: 'invalid',
        code: 'NOTIFIER_CONFIG_INVALID',
        field,
        message: `${field}: ${issue.message}`,
      });
    },
    async send(id, config, message) {
      const n = get(id);
      return scrubbed(n, config, await n.send(message, { ...ctx, config }));
    },
    async update(id, config, providerRef, message) {
      const n = get(id);
      if (!n.update) return { ok: false, retryable: false, reason: `${id} cannot update messages` };
      return scrubbed(n, config, await n.update(providerRef, message, { ...ctx, config }));
    },
  };
}
