import { Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useAuditLog } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { OrgAdminOnly } from './org-admin-only';

const ACTOR_LABELS: Record<AuditEntry['actorType'], string> = {
  user: 'User',
  apikey: 'API key',
  system: 'System',
};

function actorName(entry: AuditEntry): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actorType === 'system') return 'Tocsin';
  return entry.actorId ?? '—';
}

function hasChange(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      {hasChange(value) ? (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {JSON.stringify(value, null, 2)}
        </Code>
      ) : (
        <Text size="sm" c="dimmed">
          (nothing)
        </Text>
      )}
    </Stack>
  );
}

function AuditTable() {
  const audit = useAuditLog();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (audit.isPending) return <LoadingBlock label="Loading the audit log" />;
  if (audit.isError && entries.length === 0) {
    return <ApiErrorAlert error={audit.error} title="Could not load the audit log" />;
  }
  if (entries.length === 0) return <Text c="dimmed">Nothing has been recorded yet.</Text>;

  return (
    <Stack>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Audit log" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Actor</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Changes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => {
              const open = expanded.has(entry.id);
              const detailsId = `audit-details-${entry.id}`;
              const withChanges = hasChange(entry.before) || hasChange(entry.after);
              return (
                <Fragment key={entry.id}>
                  <Table.Tr>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <DateTime value={entry.at} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm">{actorName(entry)}</Text>
                        <Badge size="xs" variant="light" color="gray">
                          {ACTOR_LABELS[entry.actorType] ?? entry.actorType}
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Code>{entry.action}</Code>
                    </Table.Td>
                    <Table.Td>
                      {entry.targetType ? (
                        <Text size="sm">
                          {entry.targetType}
                          {entry.targetId ? (
                            <Text span size="xs" c="dimmed" ff="monospace">
                              {' '}
                              {entry.targetId}
                            </Text>
                          ) : null}
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      {withChanges ? (
                        <Button
                          size="xs"
                          variant="subtle"
                          aria-expanded={open}
                          aria-controls={detailsId}
                          onClick={() => toggle(entry.id)}
                        >
                          {open ? 'Hide details' : 'Show details'}
                        </Button>
                      ) : (
                        <Text span size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                  {withChanges && open ? (
                    <Table.Tr id={detailsId}>
                      <Table.Td colSpan={5}>
                        <SimpleGrid cols={{ base: 1, md: 2 }}>
                          <JsonBlock label="Before" value={entry.before} />
                          <JsonBlock label="After" value={entry.after} />
                        </SimpleGrid>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ApiErrorAlert
        error={audit.isFetchNextPageError ? audit.error : null}
        title="Could not load more"
      />
      {audit.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            loading={audit.isFetchingNextPage}
            onClick={() => void audit.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      ) : (
        <Text size="sm" c="dimmed" ta="center">
          That is everything.
        </Text>
      )}
    </Stack>
  );
}

export function AuditPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Audit log"
        description="Every change made by people, API keys and Tocsin itself, newest first. Times are in your local time zone."
      />
      <OrgAdminOnly>
        <AuditTable />
      </OrgAdminOnly>
    </>
  );
}
