import { Anchor, Group, NativeSelect, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { usePostmortems, type PostmortemStatus } from '../../api/postmortems';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { PostmortemStatusBadge } from './postmortem-badges';
import { ServiceReviewsCard } from './service-reviews-card';

/** Every postmortem of the user's teams; search runs over the title and the text. */
export function PostmortemsPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<PostmortemStatus | ''>('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const list = usePostmortems({ q, status });
  return (
    <>
      <PageHeader
        title="Postmortems"
        description="Blameless write-ups of incidents: drafted when a SEV1 or SEV2 resolves, reviewed, then published."
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Words in the title or text"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={320}
        />
        <NativeSelect
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as PostmortemStatus | '')}
          data={[
            { value: '', label: 'Any' },
            { value: 'draft', label: 'Draft' },
            { value: 'in_review', label: 'In review' },
            { value: 'published', label: 'Published' },
          ]}
        />
      </Group>
      <ApiErrorAlert error={list.error} />
      {list.isPending ? (
        <LoadingBlock label="Loading postmortems" />
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={520}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Postmortem</Table.Th>
                  <Table.Th>Severity</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(list.data ?? []).map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/postmortems/${p.id}`}>
                        {p.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{p.severity ?? '—'}</Table.Td>
                    <Table.Td>
                      <PostmortemStatusBadge status={p.status} />
                    </Table.Td>
                    <Table.Td>
                      <RelativeTime value={p.updatedAt} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.data?.length === 0 ? (
            <Text c="dimmed" p="md">
              No postmortems{q || status ? ' match' : ' yet'}.
            </Text>
          ) : null}
        </Paper>
      )}
      <ServiceReviewsCard />
    </>
  );
}
