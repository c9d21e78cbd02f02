import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTeam } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { useCurrentUser, useTeamRole } from '../auth/current-user';
import { ApiKeysSection } from './api-keys-section';
import { RoleBadge } from './role-badge';
import { TeamMembersSection } from './team-members-section';

export function TeamPage() {
  const { teamId = '' } = useParams();
  const { user } = useCurrentUser();
  const membershipRole = useTeamRole(teamId);
  const team = useTeam(teamId);

  const role = team.data?.role ?? membershipRole;
  // Team admins manage members and keys; org admins manage every team.
  const canManage = user.isOrgAdmin || role === 'admin';

  return (
    <>
      <Anchor component={Link} to="/settings/teams" size="sm">
        ← All teams
      </Anchor>
      {team.isPending ? <LoadingBlock label="Loading team" /> : null}
      {team.error ? (
        <Stack mt="md">
          <ApiErrorAlert error={team.error} title="Could not load the team" />
        </Stack>
      ) : null}
      {team.data ? (
        <Stack gap="xl" mt="sm">
          <div>
            <PageHeader
              order={2}
              title={team.data.name}
              description={team.data.description || undefined}
              actions={
                role ? (
                  <Group gap={6}>
                    <Text size="sm" c="dimmed">
                      Your role
                    </Text>
                    <RoleBadge role={role} />
                  </Group>
                ) : null
              }
            />
            <Text size="sm" c="dimmed" mt={-8}>
              Created <DateTime value={team.data.createdAt} />
            </Text>
          </div>

          <Paper
            withBorder
            p="md"
            radius="md"
            component="section"
            aria-labelledby="members-heading"
          >
            <Title order={3} id="members-heading" mb="sm">
              Members
            </Title>
            <TeamMembersSection
              teamId={team.data.id}
              teamName={team.data.name}
              canManage={canManage}
            />
          </Paper>

          {canManage ? (
            <Paper
              withBorder
              p="md"
              radius="md"
              component="section"
              aria-labelledby="api-keys-heading"
            >
              <Title order={3} id="api-keys-heading" mb={4}>
                API keys
              </Title>
              <Text size="sm" c="dimmed" mb="sm">
                Keys let tools call the API as this team with one role, without a session.
              </Text>
              <ApiKeysSection teamId={team.data.id} />
            </Paper>
          ) : null}
        </Stack>
      ) : null}
    </>
  );
}
