import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useChecks } from '../../api/checks';
import { useIncidents } from '../../api/incidents';
import { useServices } from '../../api/services';
import {
  COMPONENT_STATUSES,
  COMPONENT_STATUS_LABELS,
  IMPACTS,
  MAINTENANCE_STATUSES,
  PUBLIC_INCIDENT_STATUSES,
  useAddComponent,
  useAddSlackSubscriber,
  useDeleteStatusPage,
  usePostIncident,
  usePostUpdate,
  useRemoveComponent,
  useRemoveSubscriber,
  useScheduleMaintenance,
  useStatusEvents,
  useStatusPage,
  useSubscribers,
  useUpdateComponent,
  useUpdateStatusPage,
} from '../../api/status-pages';
import type {
  ComponentStatus,
  Impact,
  PageAccess,
  PublicIncidentStatus,
  StatusComponent,
  StatusEvent,
  StatusPage,
} from '../../api/status-pages';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { formatDateTime } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { TableHead } from '../../ui/table-head';
import { useCurrentUser } from '../auth/current-user';
import { useTeamAccess } from '../auth/team-access';

const STATUS_COLOURS: Record<ComponentStatus, string> = {
  operational: 'green',
  under_maintenance: 'blue',
  degraded_performance: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
};

const WORDS: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
  none: 'None',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
};
/**
 * The page's template for `status` (the server sends Tocsin's defaults with the page's own changes
 * over them), with `{components}` filled in. The poster edits it before posting.
 */
function fromTemplate(
  templates: Record<string, string> | undefined,
  status: string,
  componentNames: string[],
): string {
  const names = componentNames.length ? componentNames.join(', ') : 'our services';
  return (templates?.[status] ?? '').replaceAll('{components}', names);
}

const options = (values: readonly string[]) =>
  values.map((v) => ({ value: v, label: WORDS[v] ?? v }));

function StatusBadge({ status }: { status: ComponentStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLOURS[status]}>
      {COMPONENT_STATUS_LABELS[status]}
    </Badge>
  );
}

/** A bordered form with a heading, its fields, then its submit button. */
function FormCard({
  headingId,
  title,
  onSubmit,
  submitLabel,
  loading,
  children,
}: {
  headingId: string;
  title: string;
  onSubmit: (e: FormEvent) => void;
  submitLabel: string;
  loading: boolean;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="form" onSubmit={onSubmit} aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {title}
      </Title>
      <Stack>
        {children}
        <Group>
          <Button type="submit" loading={loading}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** A table row's "Remove" button, confirmed first. */
function RemoveButton({
  title,
  message,
  onConfirm,
}: {
  title: string;
  message: string;
  onConfirm: () => void;
}) {
  return (
    <ConfirmButton
      variant="subtle"
      color="red"
      size="xs"
      title={title}
      message={message}
      confirmLabel="Remove"
      onConfirm={onConfirm}
    >
      Remove
    </ConfirmButton>
  );
}

// ---- components

function ComponentsTab({
  page,
  components,
  canWrite,
}: {
  page: StatusPage;
  components: StatusComponent[];
  canWrite: boolean;
}) {
  const services = useServices();
  const checks = useChecks({ teamId: page.teamId });
  const add = useAddComponent(page.id);
  const update = useUpdateComponent(page.id);
  const remove = useRemoveComponent(page.id);
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [checkIds, setCheckIds] = useState<string[]>([]);
  const teamServices = (services.data ?? []).filter((s) => s.teamId === page.teamId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { name, group: group.trim() || null, serviceIds, checkIds },
      {
        onSuccess: () => {
          setName('');
          setServiceIds([]);
          setCheckIds([]);
        },
      },
    );
  };
  return (
    <Stack>
      {components.length === 0 ? <Text>No components yet.</Text> : null}
      {components.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <TableHead
                columns={['Component', 'Group', 'Status', '90-day uptime', 'Set by hand']}
                actions={canWrite}
              />
              <Table.Tbody>
                {components.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td>{c.group ?? '—'}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={c.status} />
                    </Table.Td>
                    <Table.Td>
                      {c.uptimePercent === null ? '—' : `${c.uptimePercent.toFixed(2)}%`}
                    </Table.Td>
                    <Table.Td>
                      {canWrite ? (
                        <NativeSelect
                          aria-label={`Status of ${c.name}`}
                          value={c.manualStatus ?? ''}
                          onChange={(e) =>
                            update.mutate({
                              id: c.id,
                              manualStatus: (e.currentTarget.value ||
                                null) as ComponentStatus | null,
                            })
                          }
                          data={[
                            { value: '', label: 'Derived (incidents, checks)' },
                            ...COMPONENT_STATUSES.map((s) => ({
                              value: s,
                              label: COMPONENT_STATUS_LABELS[s],
                            })),
                          ]}
                        />
                      ) : (
                        ((c.manualStatus && COMPONENT_STATUS_LABELS[c.manualStatus]) ?? 'Derived')
                      )}
                    </Table.Td>
                    {canWrite ? (
                      <Table.Td>
                        <RemoveButton
                          title="Remove component"
                          message={`Remove ${c.name} from the page?`}
                          onConfirm={() => remove.mutate(c.id)}
                        />
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Table.ScrollContainer>
      ) : null}
      <ApiErrorAlert error={update.error ?? remove.error} />
      {canWrite ? (
        <FormCard
          headingId="add-component"
          title="Add a component"
          onSubmit={submit}
          submitLabel="Add component"
          loading={add.isPending}
        >
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(add.error, 'name')}
            />
            <TextInput
              label="Group"
              description="Optional; components with the same group are shown together"
              value={group}
              onChange={(e) => setGroup(e.currentTarget.value)}
            />
          </Group>
          <MultiSelect
            label="Linked services"
            description="Open incidents on these services set the component's status (SEV1: major outage, SEV2: partial, other: degraded)"
            data={teamServices.map((s) => ({ value: s.id, label: s.name }))}
            value={serviceIds}
            onChange={setServiceIds}
            searchable
            error={fieldError(add.error, 'serviceIds')}
          />
          <MultiSelect
            label="Linked checks"
            description="All linked checks down: major outage; some: partial outage"
            data={(checks.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={checkIds}
            onChange={setCheckIds}
            searchable
            error={fieldError(add.error, 'checkIds')}
          />
          <ApiErrorAlert error={add.error} fields={['name', 'serviceIds', 'checkIds']} />
        </FormCard>
      ) : null}
    </Stack>
  );
}

// ---- incidents and maintenance

function UpdateForm({
  pageId,
  event,
  kind,
  componentNames,
}: {
  pageId: string;
  event: StatusEvent;
  kind: 'incidents' | 'maintenances';
  componentNames: Map<string, string>;
}) {
  const post = usePostUpdate(pageId, kind);
  const templates = useStatusPage(pageId).data?.page.messageTemplates;
  const statuses = kind === 'incidents' ? PUBLIC_INCIDENT_STATUSES : MAINTENANCE_STATUSES;
  const names = event.componentIds.map((id) => componentNames.get(id) ?? '').filter(Boolean);
  const [status, setStatus] = useState(event.status);
  const [body, setBody] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        post.mutate({ eventId: event.id, status, body }, { onSuccess: () => setBody('') });
      }}
    >
      <Stack gap="xs">
        <Group align="flex-end">
          <NativeSelect
            label="New status"
            value={status}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setStatus(next);
              // An empty or untouched message follows the status's template.
              if (!body || body === fromTemplate(templates, status, names))
                setBody(fromTemplate(templates, next, names));
            }}
            data={options(statuses)}
          />
          <Textarea
            label="Update"
            required
            autosize
            minRows={1}
            style={{ flex: 1 }}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Button type="submit" loading={post.isPending}>
            Post update
          </Button>
        </Group>
        <ApiErrorAlert error={post.error} />
      </Stack>
    </form>
  );
}

function EventList({
  pageId,
  events,
  kind,
  canWrite,
  components,
}: {
  pageId: string;
  events: StatusEvent[];
  kind: 'incidents' | 'maintenances';
  canWrite: boolean;
  components: StatusComponent[];
}) {
  const names = new Map(components.map((c) => [c.id, c.name]));
  if (events.length === 0)
    return <Text>{kind === 'incidents' ? 'No public incidents.' : 'No maintenance.'}</Text>;
  return (
    <Stack>
      {events.map((ev) => {
        const open = ev.status !== 'resolved' && ev.status !== 'completed';
        return (
          <Paper key={ev.id} withBorder p="md" component="article" aria-label={ev.title}>
            <Group justify="space-between">
              <Title order={2} size="h4">
                {ev.title}
              </Title>
              <Badge variant="light" color={open ? 'orange' : 'gray'}>
                {WORDS[ev.status] ?? ev.status}
              </Badge>
            </Group>
            {ev.scheduledFor !== null ? (
              <Text size="sm" c="dimmed">
                {formatDateTime(ev.scheduledFor)} – {formatDateTime(ev.scheduledUntil)}
                {ev.autoTransition ? ' (starts and ends automatically)' : ''}
              </Text>
            ) : null}
            {ev.componentIds.length ? (
              <Text size="sm" c="dimmed">
                Affects: {ev.componentIds.map((id) => names.get(id) ?? id).join(', ')}
              </Text>
            ) : null}
            {ev.incidentId ? (
              <Text size="sm">
                Internal incident: <Anchor href={`/incidents/${ev.incidentId}`}>open</Anchor> (not
                shown publicly)
              </Text>
            ) : null}
            <Stack gap={4} mt="sm" component="ol" style={{ paddingLeft: '1rem' }}>
              {ev.updates.map((u) => (
                <li key={u.id}>
                  <Text size="sm">
                    <strong>{WORDS[u.status] ?? u.status}</strong> — {u.body}{' '}
                    <Text span c="dimmed" size="xs">
                      {formatDateTime(u.createdAt)}
                    </Text>
                  </Text>
                </li>
              ))}
            </Stack>
            {canWrite && open ? (
              <UpdateForm pageId={pageId} event={ev} kind={kind} componentNames={names} />
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}

/** Which of the page's components an incident or maintenance affects. */
function AffectedComponents({
  components,
  value,
  onChange,
}: {
  components: StatusComponent[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <MultiSelect
      label="Affected components"
      data={components.map((c) => ({ value: c.id, label: c.name }))}
      value={value}
      onChange={onChange}
    />
  );
}

/** A page's public incidents or maintenance, loaded here. */
function PageEvents({
  pageId,
  kind,
  canWrite,
  components,
}: {
  pageId: string;
  kind: 'incidents' | 'maintenances';
  canWrite: boolean;
  components: StatusComponent[];
}) {
  const events = useStatusEvents(pageId, kind);
  return (
    <>
      <ApiErrorAlert error={events.error} />
      {events.data ? (
        <EventList
          pageId={pageId}
          events={events.data}
          kind={kind}
          canWrite={canWrite}
          components={components}
        />
      ) : null}
    </>
  );
}

function IncidentsTab({
  page,
  components,
  canWrite,
}: {
  page: StatusPage;
  components: StatusComponent[];
  canWrite: boolean;
}) {
  const internal = useIncidents({ teamId: page.teamId, limit: 50 });
  const post = usePostIncident(page.id);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [status, setStatus] = useState<PublicIncidentStatus>('investigating');
  const [impact, setImpact] = useState<Impact>('minor');
  const [componentIds, setComponentIds] = useState<string[]>([]);
  const [params] = useSearchParams();
  const [incidentId, setIncidentId] = useState(params.get('incident') ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.mutate(
      { title, body, status, impact, componentIds, incidentId: incidentId || null },
      {
        onSuccess: () => {
          setTitle('');
          setBody('');
          setComponentIds([]);
          setIncidentId('');
        },
      },
    );
  };
  return (
    <Stack>
      {canWrite ? (
        <FormCard
          headingId="post-incident"
          title="Post a public incident"
          onSubmit={submit}
          submitLabel="Post incident"
          loading={post.isPending}
        >
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(post.error, 'title')}
          />
          <Group grow>
            <NativeSelect
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as PublicIncidentStatus)}
              data={options(PUBLIC_INCIDENT_STATUSES)}
            />
            <NativeSelect
              label="Impact"
              value={impact}
              onChange={(e) => setImpact(e.currentTarget.value as Impact)}
              data={options(IMPACTS)}
            />
          </Group>
          <AffectedComponents
            components={components}
            value={componentIds}
            onChange={setComponentIds}
          />
          <NativeSelect
            label="Internal incident"
            description="For your team only: the public text is written separately and nothing internal is shown"
            value={incidentId}
            onChange={(e) => setIncidentId(e.currentTarget.value)}
            data={[
              { value: '', label: 'None' },
              ...(internal.data ?? []).map((i) => ({
                value: i.id,
                label: `#${i.number} ${i.title}`,
              })),
            ]}
          />
          <Group align="flex-end">
            <Button
              variant="default"
              onClick={() =>
                setBody(
                  fromTemplate(
                    page.messageTemplates,
                    status,
                    components.filter((c) => componentIds.includes(c.id)).map((c) => c.name),
                  ),
                )
              }
            >
              Use the {WORDS[status]?.toLowerCase()} template
            </Button>
          </Group>
          <Textarea
            label="Message"
            required
            autosize
            minRows={3}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={fieldError(post.error, 'body')}
          />
          <ApiErrorAlert error={post.error} fields={['title', 'body']} />
        </FormCard>
      ) : null}
      <PageEvents pageId={page.id} kind="incidents" canWrite={canWrite} components={components} />
    </Stack>
  );
}

function MaintenanceTab({
  page,
  components,
  canWrite,
}: {
  page: StatusPage;
  components: StatusComponent[];
  canWrite: boolean;
}) {
  const schedule = useScheduleMaintenance(page.id);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [auto, setAuto] = useState(true);
  const [notifyBefore, setNotifyBefore] = useState<number | string>(24 * 60);
  const [componentIds, setComponentIds] = useState<string[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    schedule.mutate(
      {
        title,
        body,
        componentIds,
        scheduledFor: new Date(from).toISOString(),
        scheduledUntil: new Date(until).toISOString(),
        autoTransition: auto,
        notifyBeforeMinutes: notifyBefore === '' ? null : Number(notifyBefore),
      },
      {
        onSuccess: () => {
          setTitle('');
          setBody('');
        },
      },
    );
  };
  return (
    <Stack>
      {canWrite ? (
        <FormCard
          headingId="schedule"
          title="Schedule maintenance"
          onSubmit={submit}
          submitLabel="Schedule"
          loading={schedule.isPending}
        >
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(schedule.error, 'title')}
          />
          <Group grow>
            <TextInput
              type="datetime-local"
              label="Starts (your time)"
              required
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={fieldError(schedule.error, 'scheduledFor')}
            />
            <TextInput
              type="datetime-local"
              label="Ends (your time)"
              required
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
              error={fieldError(schedule.error, 'scheduledUntil')}
            />
          </Group>
          <AffectedComponents
            components={components}
            value={componentIds}
            onChange={setComponentIds}
          />
          <Group grow align="flex-end">
            <Checkbox
              label="Start and complete it automatically"
              checked={auto}
              onChange={(e) => setAuto(e.currentTarget.checked)}
            />
            <NumberInput
              label="Advance notice (minutes before; empty for none)"
              min={1}
              value={notifyBefore}
              onChange={setNotifyBefore}
            />
          </Group>
          <Textarea
            label="Message"
            required
            autosize
            minRows={2}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <ApiErrorAlert
            error={schedule.error}
            fields={['title', 'scheduledFor', 'scheduledUntil']}
          />
        </FormCard>
      ) : null}
      <PageEvents
        pageId={page.id}
        kind="maintenances"
        canWrite={canWrite}
        components={components}
      />
    </Stack>
  );
}

// ---- subscribers and settings

function SubscribersTab({ page, canWrite }: { page: StatusPage; canWrite: boolean }) {
  // Subscribers' addresses are customers' personal data: the team's responders see them.
  const subscribers = useSubscribers(page.id, canWrite);
  const remove = useRemoveSubscriber(page.id);
  const addSlack = useAddSlackSubscriber(page.id);
  const [slackUrl, setSlackUrl] = useState('');
  return (
    <Stack>
      <Group>
        {canWrite ? (
          <Button
            component="a"
            variant="default"
            href={`/api/status-pages/${page.id}/subscribers.csv`}
            download
          >
            Export CSV
          </Button>
        ) : null}
        <Text size="sm" c="dimmed">
          Feeds: <Anchor href={`/status/${page.slug}/history.atom`}>Atom</Anchor> ·{' '}
          <Anchor href={`/status/${page.slug}/history.rss`}>RSS</Anchor> · Banner script:{' '}
          <code style={{ wordBreak: 'break-all' }}>
            {`<script src="${window.location.origin}/status/${page.slug}/embed.js" async></script>`}
          </code>
        </Text>
      </Group>
      {canWrite ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            addSlack.mutate({ webhookUrl: slackUrl }, { onSuccess: () => setSlackUrl('') });
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Slack channel (incoming-webhook URL)"
              style={{ flex: 1 }}
              value={slackUrl}
              onChange={(e) => setSlackUrl(e.currentTarget.value)}
              error={fieldError(addSlack.error, 'webhookUrl')}
            />
            <Button type="submit" variant="default" loading={addSlack.isPending}>
              Add Slack channel
            </Button>
          </Group>
        </form>
      ) : null}
      {canWrite ? null : (
        <Text c="dimmed">Subscribers’ addresses are shown to the team’s responders only.</Text>
      )}
      <ApiErrorAlert error={subscribers.error ?? remove.error} />
      {subscribers.data && subscribers.data.length === 0 ? <Text>No subscribers yet.</Text> : null}
      {subscribers.data && subscribers.data.length > 0 ? (
        <Table>
          <TableHead
            columns={['Kind', 'Address', 'Confirmed', 'Components', 'Since']}
            actions={canWrite}
          />
          <Table.Tbody>
            {subscribers.data.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  {s.kind === 'email' ? 'Email' : s.kind === 'slack' ? 'Slack' : 'Webhook'}
                </Table.Td>
                <Table.Td>{s.address}</Table.Td>
                <Table.Td>{s.confirmed ? 'Yes' : 'Awaiting confirmation'}</Table.Td>
                <Table.Td>{s.componentIds ? s.componentIds.length : 'All'}</Table.Td>
                <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
                {canWrite ? (
                  <Table.Td>
                    <RemoveButton
                      title="Remove subscriber"
                      message={`Stop sending updates to ${s.address}?`}
                      onConfirm={() => remove.mutate(s.id)}
                    />
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

function SettingsTab({
  page,
  canWrite,
  canAdmin,
}: {
  page: StatusPage;
  canWrite: boolean;
  canAdmin: boolean;
}) {
  const update = useUpdateStatusPage(page.id);
  const del = useDeleteStatusPage(page.id);
  const navigate = useNavigate();
  const [name, setName] = useState(page.name);
  const [description, setDescription] = useState(page.description);
  const [logoUrl, setLogoUrl] = useState(page.logoUrl ?? '');
  const [brandColor, setBrandColor] = useState(page.brandColor);
  const [customDomain, setCustomDomain] = useState(page.customDomain ?? '');
  // A custom domain routes a host of the whole server: organisation admins set it.
  const isOrgAdmin = useCurrentUser().user.isOrgAdmin;
  const [timeZone, setTimeZone] = useState(page.timeZone);
  const [access, setAccess] = useState<PageAccess>(page.access);
  const [password, setPassword] = useState('');
  const [ipAllow, setIpAllow] = useState(page.ipAllow.join('\n'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      name,
      description,
      logoUrl: logoUrl.trim() || null,
      brandColor,
      customDomain: customDomain.trim() || null,
      timeZone,
      access,
      ...(password ? { password } : {}),
      ipAllow: ipAllow
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    });
  };
  const err = (f: string) => fieldError(update.error, f);
  /** A text input bound to a setting, with that field's error. */
  const bind = (value: string, onChange: (v: string) => void, field: string) => ({
    value,
    onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value),
    error: err(field),
    disabled: !canWrite,
  });
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack>
        <TextInput label="Name" {...bind(name, setName, 'name')} />
        <Textarea label="Description" {...bind(description, setDescription, 'description')} />
        <Group grow>
          <TextInput label="Logo URL" {...bind(logoUrl, setLogoUrl, 'logoUrl')} />
          <TextInput
            label="Header colour"
            description="#rrggbb; white text on it must reach 4.5:1 contrast"
            {...bind(brandColor, setBrandColor, 'brandColor')}
          />
        </Group>
        <Group grow>
          <TextInput
            label="Custom domain"
            description={
              isOrgAdmin
                ? 'A host of its own (not the one Tocsin is on; needs TOCSIN_PUBLIC_URL): point its DNS at Tocsin; the page is served there by Host header'
                : 'Set by organisation admins'
            }
            {...bind(customDomain, setCustomDomain, 'customDomain')}
            disabled={!canWrite || !isOrgAdmin}
          />
          <TextInput label="Time zone" {...bind(timeZone, setTimeZone, 'timeZone')} />
        </Group>
        <NativeSelect
          label="Who can see it"
          value={access}
          onChange={(e) => setAccess(e.currentTarget.value as PageAccess)}
          data={[
            { value: 'public', label: 'Everyone' },
            { value: 'password', label: 'Whoever has the password' },
            { value: 'ip', label: 'Clients from listed networks' },
          ]}
          disabled={!canWrite}
        />
        {access === 'password' ? (
          <PasswordInput
            label={page.hasPassword ? 'New password (leave empty to keep it)' : 'Password'}
            {...bind(password, setPassword, 'password')}
          />
        ) : null}
        {access === 'ip' ? (
          <Textarea
            label="Allowed networks"
            description="IP addresses or CIDR ranges, one per line"
            value={ipAllow}
            onChange={(e) => setIpAllow(e.currentTarget.value)}
            error={update.error && fieldError(update.error, 'ipAllow')}
            disabled={!canWrite}
          />
        ) : null}
        <ApiErrorAlert
          error={update.error}
          fields={[
            'name',
            'description',
            'logoUrl',
            'brandColor',
            'customDomain',
            'timeZone',
            'password',
            'ipAllow',
          ]}
        />
        <Group justify="space-between">
          {canWrite ? (
            <Button type="submit" loading={update.isPending}>
              Save settings
            </Button>
          ) : (
            <span />
          )}
          {canAdmin ? (
            <ConfirmButton
              color="red"
              variant="light"
              title="Delete status page"
              message={`Delete ${page.name}, its components, incidents, maintenance and subscribers?`}
              confirmLabel="Delete"
              onConfirm={() =>
                del.mutate(undefined, { onSuccess: () => void navigate('/status-pages') })
              }
            >
              Delete page
            </ConfirmButton>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

/** The page's message templates, one status at a time: edit, save, or go back to the default. */
function TemplatesCard({ page, canWrite }: { page: StatusPage; canWrite: boolean }) {
  const update = useUpdateStatusPage(page.id);
  const statuses = [...PUBLIC_INCIDENT_STATUSES, ...MAINTENANCE_STATUSES];
  const [status, setStatus] = useState<string>(statuses[0]!);
  const [text, setText] = useState(page.messageTemplates[status] ?? '');
  const choose = (next: string) => {
    setStatus(next);
    setText(page.messageTemplates[next] ?? '');
  };
  const save = (value: string | null) =>
    update.mutate(
      { messageTemplates: { [status]: value } },
      { onSuccess: (saved) => setText(saved.messageTemplates[status] ?? '') },
    );
  const custom = page.customTemplates.includes(status);
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          Message templates
        </Title>
        <Text size="sm" c="dimmed">
          What a new incident or update starts from, for everyone posting on this page.{' '}
          <Code>{'{components}'}</Code> becomes the affected components&apos; names.
        </Text>
        <NativeSelect
          label="Status"
          value={status}
          onChange={(e) => choose(e.currentTarget.value)}
          data={statuses.map((s) => ({
            value: s,
            label: `${WORDS[s] ?? s} (${
              (PUBLIC_INCIDENT_STATUSES as readonly string[]).includes(s)
                ? 'incident'
                : 'maintenance'
            })${page.customTemplates.includes(s) ? ' · changed' : ''}`,
          }))}
        />
        <Textarea
          label="Template"
          autosize
          minRows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={fieldError(update.error, `messageTemplates.${status}`)}
          disabled={!canWrite}
        />
        <ApiErrorAlert error={update.error} fields={[`messageTemplates.${status}`]} />
        {canWrite ? (
          <Group>
            <Button onClick={() => save(text)} loading={update.isPending}>
              Save template
            </Button>
            {custom ? (
              <Button variant="default" onClick={() => save(null)}>
                Use Tocsin’s default
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** /status-pages/:pageId */
export function StatusPageDetailPage() {
  const { pageId = '' } = useParams();
  const detail = useStatusPage(pageId);
  const access = useTeamAccess(detail.data?.page.teamId);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'components';
  if (detail.isPending) return <LoadingBlock label="Loading status page" />;
  if (!detail.data) return <ApiErrorAlert error={detail.error} />;
  const { page, components, overall } = detail.data;
  return (
    <>
      <PageHeader
        title={page.name}
        description={
          <>
            {overall.description} ·{' '}
            <Anchor href={`/status/${page.slug}`} target="_blank" rel="noreferrer">
              View public page
            </Anchor>
          </>
        }
      />
      {/* Panels stay mounted, so a form's unsaved input survives a look at another tab; the
          open tab is in the URL, so a reload or a shared link opens it. */}
      <Tabs
        value={tab}
        onChange={(value) => {
          if (value)
            setParams(
              (p) => {
                p.set('tab', value);
                return p;
              },
              { replace: true },
            );
        }}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="components">Components</Tabs.Tab>
          <Tabs.Tab value="incidents">Incidents</Tabs.Tab>
          <Tabs.Tab value="maintenance">Maintenance</Tabs.Tab>
          <Tabs.Tab value="subscribers">Subscribers</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="components">
          <ComponentsTab page={page} components={components} canWrite={access.canRespond} />
        </Tabs.Panel>
        <Tabs.Panel value="incidents">
          <IncidentsTab page={page} components={components} canWrite={access.canRespond} />
        </Tabs.Panel>
        <Tabs.Panel value="maintenance">
          <MaintenanceTab page={page} components={components} canWrite={access.canRespond} />
        </Tabs.Panel>
        <Tabs.Panel value="subscribers">
          <SubscribersTab page={page} canWrite={access.canRespond} />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <Stack>
            <SettingsTab page={page} canWrite={access.canRespond} canAdmin={access.canAdmin} />
            <TemplatesCard page={page} canWrite={access.canRespond} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
