import { expect, it } from 'vitest';
import { auditRowValues, scrubSecrets, toAuditEntry } from './audit.js';

it('never stores secrets in before/after, however deep', () => {
  const scrubbed = scrubSecrets({
    name: 'k',
    secret: 's3cret',
    nested: { password_hash: 'h', keep: 1 },
    list: [{ token: 't' }],
  });
  expect(scrubbed).toEqual({ name: 'k', nested: { keep: 1 }, list: [{}] });
});

it('round-trips an entry through its row', () => {
  const row = auditRowValues(
    'id1',
    5,
    { type: 'system', name: 'cli' },
    { action: 'team.created', targetType: 'team', targetId: 't', after: { name: 'x' } },
  );
  expect(toAuditEntry(row)).toEqual({
    id: 'id1',
    at: 5,
    actorType: 'system',
    actorId: null,
    actorName: 'cli',
    action: 'team.created',
    targetType: 'team',
    targetId: 't',
    teamId: null,
    before: null,
    after: { name: 'x' },
  });
});
