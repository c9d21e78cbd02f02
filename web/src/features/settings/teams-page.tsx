import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTeams } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { useCurrentUser } from '../auth/current-user';
import { CreateTeamForm } from './create-team-form';
import { RoleBadge } from './role-badge';

export function TeamsPage() {
  const { user } = useCurrentUser();
  const teams = useTeams();
  return (
    <>
      <PageHeader
        order={2}
        title="Teams"
        description={
          user.isOrgAdmin
            ? 'All teams in the organization. Open one to manage its members and API keys.'
            : 'The teams you belong to. Open one to see its members.'
        }
      />
      <ApiErrorAlert error={teams.error} title="Could not load teams" />
      {teams.isPending ? <LoadingBlock label="Loading teams" /> : null}
      {teams.data && teams.data.length === 0 ? (
        <Text c="dimmed">
          {user.isOrgAdmin ? 'No teams yet.' : 'You are not a member of any team yet.'}
        </Text>
      ) : null}
      {teams.data && teams.data.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Teams" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Your role</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/settings/teams/${team.id}`} fw={500}>
                      {team.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{team.description || '—'}</Table.Td>
                  <Table.Td>
                    {team.role ? (
                      <RoleBadge role={team.role} />
                    ) : (
                      <Text span size="sm" c="dimmed">
                        Not a member
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={team.createdAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {user.isOrgAdmin ? (
        <Paper
          withBorder
          p="md"
          radius="md"
          mt="xl"
          component="section"
          aria-labelledby="create-team-heading"
        >
          <Title order={3} id="create-team-heading" mb="md">
            New team
          </Title>
          <CreateTeamForm />
        </Paper>
      ) : null}
    </>
  );
}
