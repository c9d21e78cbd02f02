import { Badge, Code, Table, Text } from '@mantine/core';
import { useApiKeys, useRevokeApiKey } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { TableHead } from '../../ui/table-head';
import { CreateApiKeyForm } from './create-api-key-form';
import { RoleBadge } from './role-badge';

export function ApiKeysSection({ teamId }: { teamId: string }) {
  const keys = useApiKeys(teamId);
  const revoke = useRevokeApiKey(teamId);

  return (
    <>
      <ApiErrorAlert error={keys.error} title="Could not load the API keys" />
      <ApiErrorAlert
        error={revoke.error}
        title="Could not revoke the API key"
        onClose={() => revoke.reset()}
      />
      {keys.isPending ? <LoadingBlock label="Loading API keys" /> : null}
      {keys.data && keys.data.length === 0 ? <Text c="dimmed">No API keys yet.</Text> : null}
      {keys.data && keys.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="API keys" verticalSpacing="sm">
            <TableHead
              columns={['Name', 'Role', 'Prefix', 'Created', 'Last used', 'Revoked']}
              actions
            />
            <Table.Tbody>
              {keys.data.map((key) => (
                <Table.Tr key={key.id} c={key.revokedAt ? 'dimmed' : undefined}>
                  <Table.Td fw={500}>{key.name}</Table.Td>
                  <Table.Td>
                    <RoleBadge role={key.role} />
                  </Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}</Code>
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={key.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={key.lastUsedAt} empty="Never" />
                  </Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <DateTime value={key.revokedAt} />
                    ) : (
                      <Badge variant="light" color="green">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {key.revokedAt ? null : (
                      <ConfirmButton
                        size="xs"
                        variant="light"
                        color="red"
                        loading={revoke.isPending && revoke.variables === key.id}
                        title="Revoke API key"
                        message={`Revoke the key “${key.name}”? Anything using it will get 401 from now on. This cannot be undone.`}
                        confirmLabel="Revoke API key"
                        onConfirm={() => revoke.mutate(key.id)}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <CreateApiKeyForm teamId={teamId} />
    </>
  );
}
