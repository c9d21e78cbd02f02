import { isOrgAdmin, type Actor } from '../core/actor.js';
import { forbidden } from '../core/errors.js';
import type { ResealCount, SecretRotation } from '../core/secrets.js';
import type { Executor } from '../db/index.js';
import type { AuditService } from '../domains/audit/index.js';
import type { ChecksService } from '../domains/checks/index.js';
import type { NotifierSettingsService } from '../domains/notifications/index.js';
import type { PostmortemsService } from '../domains/postmortems/index.js';
import type { StatusSubscribersService } from '../domains/statuspages/index.js';

/**
 * `tocsin notify rotate-secrets` (and `POST /api/notifiers/rotate-secrets`): brings every secret
 * stored encrypted, in every domain that keeps one, to the first key of TOCSIN_SECRET_KEY, so the
 * older keys can be dropped once `unreadable` is 0. Each kind is written in its own steps; a
 * value changed meanwhile is left to that change, and running it again is harmless.
 */
export async function rotateStoredSecrets(
  services: {
    notifierSettings: NotifierSettingsService;
    checks: ChecksService;
    statusSubscribers: StatusSubscribersService;
    postmortems: PostmortemsService;
    audit: AuditService;
    db: Executor;
  },
  actor: Actor,
): Promise<SecretRotation> {
  if (!isOrgAdmin(actor)) throw forbidden('Organisation admins rotate keys');
  const kinds = {
    notifierSettings: await services.notifierSettings.rotateSecrets(actor),
    checkHeaders: await services.checks.resealSecrets(actor),
    statusPageSubscribers: await services.statusSubscribers.resealSecrets(actor),
    trackerTokens: await services.postmortems.resealSecrets(actor),
  };
  const total = (k: keyof ResealCount) => Object.values(kinds).reduce((sum, c) => sum + c[k], 0);
  const rotation = { changed: total('changed'), unreadable: total('unreadable'), kinds };
  await services.audit.record(services.db, actor, {
    action: 'secrets.rotated',
    targetType: 'org_settings',
    targetId: 'secrets',
    after: rotation,
  });
  return rotation;
}
