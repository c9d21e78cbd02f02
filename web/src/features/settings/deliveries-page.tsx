import { Alert, Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useDeadLetters, useRetryDeadLetter, useRotateSecrets } from '../../api/notifications';
import type { DeadLetter, RotateSecretsResponse } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { CardSection } from '../../ui/card-section';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { channelLabel } from '../notifications/delivery-labels';
import { OrgAdminOnly } from './org-admin-only';

function describe(letter: DeadLetter): string {
  const who = letter.userName ?? 'someone';
  const incident = letter.incidentNumber !== null ? ` for #${letter.incidentNumber}` : '';
  return `the ${channelLabel(letter.channel)} message to ${who}${incident}`;
}

/** Messages that failed for good, each with "Retry". */
function DeadLettersSection() {
  const letters = useDeadLetters();
  const retry = useRetryDeadLetter();
  const [queued, setQueued] = useState<string | null>(null);

  return (
    <CardSection
      headingId="dead-letters-heading"
      title="Dead letters"
      description="Messages that could not be delivered: a permanent error, or every retry used up. Tocsin went on to the person's next verified contact method, if they have one. Fix the cause (see Notifiers), then retry."
    >
      <Stack gap="md">
        <ApiErrorAlert error={letters.error} title="Could not load the dead letters" />
        <ApiErrorAlert
          error={retry.error}
          title="Could not retry the message"
          onClose={() => retry.reset()}
        />
        {queued ? (
          <SuccessNote onClose={() => setQueued(null)}>
            Queued {queued} again: it is sent within moments.
          </SuccessNote>
        ) : null}
        {letters.isPending ? <LoadingBlock label="Loading dead letters" /> : null}
        {letters.data && letters.data.length === 0 ? (
          <Text c="dimmed" size="sm">
            No dead letters: every message got through or is still being tried.
          </Text>
        ) : null}
        {letters.data && letters.data.length > 0 ? (
          <Table.ScrollContainer minWidth={820}>
            <Table aria-label="Dead letters" verticalSpacing="xs">
              <TableHead
                columns={['Time', 'Incident', 'Person', 'Channel', 'Address', 'Error']}
                actions
              />
              <Table.Tbody>
                {letters.data.map((letter) => (
                  <Table.Tr key={letter.id}>
                    <Table.Td>
                      <DateTime value={letter.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      {letter.incidentId ? (
                        <Anchor component={Link} to={`/incidents/${letter.incidentId}`} size="sm">
                          {letter.incidentNumber !== null
                            ? `#${letter.incidentNumber}`
                            : 'Incident'}
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td fw={500}>{letter.userName ?? '—'}</Table.Td>
                    <Table.Td>{channelLabel(letter.channel)}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{letter.address ?? '—'}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>
                      <Text size="sm" c={letter.lastError ? 'red' : 'dimmed'}>
                        {letter.lastError ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={`Retry ${describe(letter)}`}
                        loading={retry.isPending && retry.variables === letter.id}
                        onClick={() => {
                          setQueued(null);
                          retry.mutate(letter.id, { onSuccess: () => setQueued(describe(letter)) });
                        }}
                      >
                        Retry
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </CardSection>
  );
}

/** Re-encrypts every stored secret with the first key of TOCSIN_SECRET_KEY. */
function SecretKeySection() {
  const rotate = useRotateSecrets();
  const r = rotate.data;
  return (
    <CardSection
      headingId="secret-key-heading"
      title="Secret key"
      description="Stored secrets (notifier tokens, HTTP check headers, status-page Slack and webhook subscribers, Jira and GitHub tokens) are encrypted with the first key in TOCSIN_SECRET_KEY. To change the key: put the new key first (keep the old one after it), restart, re-encrypt here, then remove the old key."
    >
      <Stack gap="sm" align="flex-start">
        <ApiErrorAlert
          error={rotate.error}
          title="Could not re-encrypt the secrets"
          onClose={() => rotate.reset()}
        />
        {r && r.unreadable > 0 ? (
          <Alert
            color="red"
            title="Some secrets cannot be read"
            withCloseButton
            onClose={() => rotate.reset()}
          >
            {`${r.unreadable} stored ${r.unreadable === 1 ? 'value was' : 'values were'} encrypted with a key that is no longer configured. Keep every old key listed until these are saved again; ${r.changed} other ${r.changed === 1 ? 'value was' : 'values were'} re-encrypted.`}
          </Alert>
        ) : r ? (
          <SuccessNote onClose={() => rotate.reset()}>
            {r.changed === 0
              ? 'Every secret already used the current key. Older keys can be removed.'
              : `Re-encrypted ${rotationSummary(r)} with the current key. Older keys can be removed.`}
          </SuccessNote>
        ) : null}
        <ConfirmButton
          variant="light"
          className="tocsin-wrap-button"
          loading={rotate.isPending}
          title="Re-encrypt secrets"
          message="Every stored secret is decrypted and encrypted again with the first key in TOCSIN_SECRET_KEY. Keep the old key configured until this has been done."
          confirmLabel="Re-encrypt secrets"
          onConfirm={() => rotate.mutate()}
        >
          Re-encrypt secrets with the current key
        </ConfirmButton>
      </Stack>
    </CardSection>
  );
}

/** /settings/deliveries: dead letters and the secret key (org admins). */
export function DeliveriesPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Deliveries"
        description="Messages that never reached anyone, and the key notifier secrets are stored with."
      />
      <OrgAdminOnly>
        <Stack gap="xl">
          <DeadLettersSection />
          <SecretKeySection />
        </Stack>
      </OrgAdminOnly>
    </>
  );
}

/** "2 notifier settings, 1 check" for what a rotation re-encrypted. */
function rotationSummary(r: RotateSecretsResponse): string {
  const parts: [number, string, string][] = [
    [r.kinds.notifierSettings.changed, 'notifier setting', 'notifier settings'],
    [r.kinds.checkHeaders.changed, "check's headers", "checks' headers"],
    [r.kinds.statusPageSubscribers.changed, 'status-page subscriber', 'status-page subscribers'],
    [r.kinds.trackerTokens.changed, 'tracker token settings', 'tracker token settings'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}
