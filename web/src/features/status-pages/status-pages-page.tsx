import {
  Anchor,
  Badge,
  Button,
  Modal,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCreateStatusPage, useStatusPages } from '../../api/status-pages';
import type { PageAccess } from '../../api/status-pages';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { TableHead } from '../../ui/table-head';
import { useTeamsWith } from '../auth/team-access';

export const ACCESS_LABELS: Record<PageAccess, string> = {
  public: 'Public',
  password: 'Password',
  ip: 'IP allow-list',
};

function CreatePageModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { allowed } = useTeamsWith('responder');
  const create = useCreateStatusPage();
  const navigate = useNavigate();
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [access, setAccess] = useState<PageAccess>('public');
  const [password, setPassword] = useState('');
  const team = teamId || allowed[0]?.id || '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        teamId: team,
        name,
        slug,
        access,
        ...(access === 'password' ? { password } : {}),
      },
      {
        onSuccess: (page) => {
          onClose();
          void navigate(`/status-pages/${page.id}`);
        },
      },
    );
  };
  const fields = ['name', 'slug', 'password', 'teamId'];
  return (
    <Modal opened={opened} onClose={onClose} title="New status page">
      <form onSubmit={submit}>
        <Stack>
          <NativeSelect
            label="Team"
            value={team}
            onChange={(e) => setTeamId(e.currentTarget.value)}
            data={allowed.map((t) => ({ value: t.id, label: t.name }))}
            error={fieldError(create.error, 'teamId')}
          />
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
          />
          <TextInput
            label="Address"
            description="The page is served at /status/<address>"
            required
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value.toLowerCase())}
            error={fieldError(create.error, 'slug')}
          />
          <NativeSelect
            label="Who can see it"
            value={access}
            onChange={(e) => setAccess(e.currentTarget.value as PageAccess)}
            data={[
              { value: 'public', label: 'Everyone' },
              { value: 'password', label: 'Whoever has the password' },
            ]}
          />
          {access === 'password' ? (
            <PasswordInput
              label="Password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError(create.error, 'password')}
            />
          ) : null}
          <ApiErrorAlert error={create.error} fields={fields} />
          <Button type="submit" loading={create.isPending}>
            Create page
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** /status-pages: every page the user can read. */
export function StatusPagesPage() {
  const pages = useStatusPages();
  const { allowed } = useTeamsWith('responder');
  // From an internal incident's page: pick the status page to post its public incident on.
  const [params] = useSearchParams();
  const incident = params.get('incident');
  const suffix = incident ? `?tab=incidents&incident=${encodeURIComponent(incident)}` : '';
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="Status pages"
        description="What your customers see: components and their status, public incidents and maintenance, subscribers. Each page is served at /status/<address> (or its own domain)."
        actions={allowed.length > 0 ? <Button onClick={open}>New status page</Button> : undefined}
      />
      {incident ? (
        <Paper withBorder p="md" mb="md" role="status">
          <Text>Choose the status page to post this incident on.</Text>
        </Paper>
      ) : null}
      <ApiErrorAlert error={pages.error} />
      {pages.isPending ? <LoadingBlock label="Loading status pages" /> : null}
      {pages.data && pages.data.length === 0 ? (
        <Paper withBorder p="lg">
          <Text>No status pages yet.</Text>
        </Paper>
      ) : null}
      {pages.data && pages.data.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover>
            <TableHead columns={['Name', 'Public address', 'Access', 'Custom domain']} />
            <Table.Tbody>
              {pages.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/status-pages/${p.id}${suffix}`}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`/status/${p.slug}`} target="_blank" rel="noreferrer">
                      /status/{p.slug}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={p.access === 'public' ? 'green' : 'gray'}>
                      {ACCESS_LABELS[p.access]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{p.customDomain ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <CreatePageModal opened={opened} onClose={close} />
    </>
  );
}
