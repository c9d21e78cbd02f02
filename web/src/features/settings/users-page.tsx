import { Badge, Button, Paper, Table, Text, Title } from '@mantine/core';
import { useUpdateUser, useUsers } from '../../api/users';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { TableHead } from '../../ui/table-head';
import { useCurrentUser } from '../auth/current-user';
import { CreateUserForm } from './create-user-form';
import { OrgAdminOnly } from './org-admin-only';

function UsersTable() {
  const me = useCurrentUser();
  const users = useUsers();
  const updateUser = useUpdateUser();

  return (
    <>
      <ApiErrorAlert error={users.error} title="Could not load users" />
      <ApiErrorAlert
        error={updateUser.error}
        title="Could not update the user"
        onClose={() => updateUser.reset()}
      />
      {users.isPending ? <LoadingBlock label="Loading users" /> : null}
      {users.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Users" highlightOnHover>
            <TableHead columns={['Name', 'Email', 'Role', 'Status', 'Created']} actions />
            <Table.Tbody>
              {users.data.map((user) => {
                const isSelf = user.id === me.user.id;
                const pending = updateUser.isPending && updateUser.variables.userId === user.id;
                return (
                  <Table.Tr key={user.id}>
                    <Table.Td fw={500}>
                      {user.name}
                      {isSelf ? (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          (you)
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>
                      {user.isOrgAdmin ? (
                        <Badge variant="light" color="grape">
                          Org admin
                        </Badge>
                      ) : (
                        <Text span size="sm" c="dimmed">
                          Member
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {user.disabled ? (
                        <Badge variant="light" color="gray">
                          Disabled
                        </Badge>
                      ) : (
                        <Badge variant="light" color="green">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={user.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      {isSelf ? null : (
                        <Button
                          size="xs"
                          variant="light"
                          color={user.disabled ? 'green' : 'red'}
                          loading={pending}
                          onClick={() =>
                            updateUser.mutate({ userId: user.id, disabled: !user.disabled })
                          }
                        >
                          {user.disabled ? 'Enable' : 'Disable'}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}

export function UsersPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Users"
        description="Everyone who can sign in to Tocsin. Disabled users cannot sign in and their sessions end."
      />
      <OrgAdminOnly>
        <UsersTable />
        <Paper
          withBorder
          p="md"
          radius="md"
          mt="xl"
          component="section"
          aria-labelledby="create-user-heading"
        >
          <Title order={3} id="create-user-heading" mb="md">
            New user
          </Title>
          <CreateUserForm />
        </Paper>
      </OrgAdminOnly>
    </>
  );
}
