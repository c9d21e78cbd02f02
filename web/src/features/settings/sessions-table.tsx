import { Button, Table, Text } from '@mantine/core';
import { useRevokeSession, useSessions } from '../../api/auth';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { TableHead } from '../../ui/table-head';

export function SessionsTable() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  return (
    <>
      <ApiErrorAlert error={sessions.error} title="Could not load your sessions" />
      <ApiErrorAlert
        error={revoke.error}
        title="Could not revoke the session"
        onClose={() => revoke.reset()}
      />
      {sessions.isPending ? <LoadingBlock label="Loading sessions" /> : null}
      {sessions.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Sessions" verticalSpacing="sm">
            <TableHead
              columns={['Device', 'IP address', 'Signed in', 'Last seen', 'Expires']}
              actions
            />
            <Table.Tbody>
              {sessions.data.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td maw={320}>
                    <Text size="sm" lineClamp={2} title={session.userAgent ?? undefined}>
                      {session.userAgent || 'Unknown device'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{session.ip || '—'}</Table.Td>
                  <Table.Td>
                    <DateTime value={session.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={session.lastSeenAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={session.expiresAt} />
                  </Table.Td>
                  <Table.Td>
                    {session.current ? (
                      <Text size="sm" fw={500} c="green" style={{ whiteSpace: 'nowrap' }}>
                        This session
                      </Text>
                    ) : (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        loading={revoke.isPending && revoke.variables === session.id}
                        onClick={() => revoke.mutate(session.id)}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
