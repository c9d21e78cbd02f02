import { Badge, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { CardSection } from '../../ui/card-section';
import { PageHeader } from '../../ui/page-header';
import { useCurrentUser } from '../auth/current-user';
import { useShortcutsSetting } from '../incidents/use-shortcuts';
import { ChangePasswordForm } from './change-password-form';
import { RoleBadge } from './role-badge';
import { SessionsTable } from './sessions-table';

export function ProfilePage() {
  const { user, memberships } = useCurrentUser();
  const [shortcuts, setShortcuts] = useShortcutsSetting();
  return (
    <>
      <PageHeader
        order={2}
        title="Profile & security"
        description="Your account, your password and where you are signed in."
      />
      <Stack gap="xl">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="account-heading">
          <Title order={3} id="account-heading" mb="sm">
            Account
          </Title>
          <Stack gap={6}>
            <Group gap="xs">
              <Text fw={500}>{user.name}</Text>
              {user.isOrgAdmin ? (
                <Badge variant="light" color="grape">
                  Org admin
                </Badge>
              ) : null}
            </Group>
            <Text c="dimmed">{user.email}</Text>
            {memberships.length > 0 ? (
              <Group gap="xs" mt="xs">
                <Text size="sm">Teams:</Text>
                {memberships.map((m) => (
                  <Group key={m.teamId} gap={4}>
                    <Text size="sm">{m.teamName}</Text>
                    <RoleBadge role={m.role} />
                  </Group>
                ))}
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                You are not a member of any team yet.
              </Text>
            )}
          </Stack>
        </Paper>

        <CardSection
          headingId="shortcuts-heading"
          title="Keyboard shortcuts"
          description="On an incident page, A acknowledges, M marks mitigated and R resolves (after asking), when focus is not on a button, link or field. Saved in this browser."
        >
          <Switch
            label="Single-key shortcuts on incident pages"
            checked={shortcuts}
            onChange={(e) => setShortcuts(e.currentTarget.checked)}
          />
        </CardSection>

        <CardSection
          headingId="password-heading"
          title="Change password"
          description="Changing your password signs you out everywhere else."
        >
          <ChangePasswordForm />
        </CardSection>

        <CardSection
          headingId="sessions-heading"
          title="Sessions"
          description="Browsers where you are signed in. Revoke any you do not recognize."
        >
          <SessionsTable />
        </CardSection>
      </Stack>
    </>
  );
}
