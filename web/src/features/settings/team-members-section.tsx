import { NativeSelect, Table, Text } from '@mantine/core';
import { useRemoveMember, useSetMemberRole, useTeamMembers } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { LoadingBlock } from '../../ui/loading-block';
import { TableHead } from '../../ui/table-head';
import { useCurrentUser } from '../auth/current-user';
import { AddMemberForm } from './add-member-form';
import { RoleBadge } from './role-badge';
import { ROLE_OPTIONS, isTeamRole } from './role-labels';

interface TeamMembersSectionProps {
  teamId: string;
  teamName: string;
  canManage: boolean;
}

export function TeamMembersSection({ teamId, teamName, canManage }: TeamMembersSectionProps) {
  const { user: me } = useCurrentUser();
  const members = useTeamMembers(teamId);
  const setRole = useSetMemberRole(teamId);
  const remove = useRemoveMember(teamId);

  return (
    <>
      <ApiErrorAlert error={members.error} title="Could not load the members" />
      <ApiErrorAlert
        error={setRole.error ?? remove.error}
        title="Could not update the member"
        onClose={() => {
          setRole.reset();
          remove.reset();
        }}
      />
      {members.isPending ? <LoadingBlock label="Loading members" /> : null}
      {members.data && members.data.length === 0 ? <Text c="dimmed">No members yet.</Text> : null}
      {members.data && members.data.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Members" verticalSpacing="sm">
            <TableHead columns={['Name', 'Email', 'Role']} actions={canManage} />
            <Table.Tbody>
              {members.data.map((member) => {
                const rolePending = setRole.isPending && setRole.variables.userId === member.userId;
                return (
                  <Table.Tr key={member.userId}>
                    <Table.Td fw={500}>
                      {member.name}
                      {member.userId === me.id ? (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          (you)
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{member.email}</Table.Td>
                    <Table.Td>
                      {canManage ? (
                        <NativeSelect
                          aria-label={`Role of ${member.name}`}
                          size="xs"
                          w={140}
                          data={ROLE_OPTIONS}
                          value={rolePending ? setRole.variables.role : member.role}
                          disabled={rolePending}
                          onChange={(e) => {
                            const role = e.currentTarget.value;
                            if (isTeamRole(role) && role !== member.role) {
                              setRole.mutate({ userId: member.userId, role });
                            }
                          }}
                        />
                      ) : (
                        <RoleBadge role={member.role} />
                      )}
                    </Table.Td>
                    {canManage ? (
                      <Table.Td>
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          loading={remove.isPending && remove.variables === member.userId}
                          title="Remove member"
                          message={`Remove ${member.name} from ${teamName}? They lose access to the team's services and incidents.`}
                          confirmLabel="Remove member"
                          onConfirm={() => remove.mutate(member.userId)}
                        >
                          Remove
                        </ConfirmButton>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {canManage && members.data ? <AddMemberForm teamId={teamId} members={members.data} /> : null}
    </>
  );
}
