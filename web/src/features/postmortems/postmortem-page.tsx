import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { apiPath } from '../../api/client';
import {
  sectionTitles,
  useAddActionItem,
  useBackToDraft,
  useBlamelessCheck,
  useCommentPostmortem,
  useExportActionItem,
  usePostmortem,
  usePublishPostmortem,
  useReviewPostmortem,
  useSavePostmortem,
  useSubmitPostmortem,
  useUpdateActionItem,
  type ActionItem,
  type PostmortemDetail,
  type SectionId,
} from '../../api/postmortems';
import { useTeamMembers } from '../../api/teams';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { TableHead } from '../../ui/table-head';
import { useCurrentUser, useTeamRole } from '../auth/current-user';
import { MarkdownView } from './markdown-view';
import { PostmortemStatusBadge } from './postmortem-badges';

type Drafts = Record<SectionId, string>;

/** One postmortem: edit in Markdown with preview and blameless hints, review, publish, actions. */
export function PostmortemPage() {
  const { postmortemId = '' } = useParams();
  const query = usePostmortem(postmortemId);
  // Kept here: the editor below starts afresh on each new version, the save's outcome stays.
  const save = useSavePostmortem(postmortemId);
  if (query.isPending) return <LoadingBlock label="Loading postmortem" />;
  if (query.error || !query.data) return <ApiErrorAlert error={query.error} />;
  // A newer version (a save, another editor, a status change) starts the editor afresh.
  const pm = query.data.postmortem;
  return <PostmortemView key={`${pm.id}:${pm.version}`} detail={query.data} save={save} />;
}

function PostmortemView({
  detail,
  save,
}: {
  detail: PostmortemDetail;
  save: ReturnType<typeof useSavePostmortem>;
}) {
  const me = useCurrentUser();
  const role = useTeamRole(detail.postmortem.teamId);
  const canWrite = me.user.isOrgAdmin || role === 'admin' || role === 'responder';
  const pm = detail.postmortem;
  const editable = canWrite && pm.status !== 'published';
  const id = pm.id;
  const [drafts, setDrafts] = useState<Drafts>(pm.sections);
  const [title, setTitle] = useState(pm.title);
  const [meeting, setMeeting] = useState(
    pm.reviewMeetingAt ? toDateTimeLocal(pm.reviewMeetingAt) : '',
  );
  const dirty =
    title !== pm.title ||
    sectionTitles.some(([s]) => drafts[s] !== pm.sections[s]) ||
    (fromDateTimeLocal(meeting) ?? null) !== pm.reviewMeetingAt;

  const onSave = () => {
    const sections: Partial<Drafts> = {};
    for (const [s] of sectionTitles) if (drafts[s] !== pm.sections[s]) sections[s] = drafts[s];
    save.mutate({
      version: pm.version,
      ...(title !== pm.title ? { title } : {}),
      ...(Object.keys(sections).length ? { sections } : {}),
      reviewMeetingAt: fromDateTimeLocal(meeting),
    });
  };

  return (
    <>
      <PageHeader
        title={pm.title}
        description={
          <Group gap="xs" component="span">
            <PostmortemStatusBadge status={pm.status} />
            <span>
              Incident{' '}
              <Anchor component={Link} to={`/incidents/${detail.incident.id}`}>
                #{detail.incident.number}
              </Anchor>
              {detail.incident.severity ? ` · ${detail.incident.severity}` : ''}
              {pm.publishedAt
                ? ` · published ${formatDateTime(pm.publishedAt)} by ${pm.publishedBy}`
                : ''}
            </span>
          </Group>
        }
        actions={
          <>
            <Button
              component="a"
              variant="default"
              href={apiPath`/api/postmortems/${id}/export.md`}
              download
            >
              Export Markdown
            </Button>
            <Button variant="default" onClick={() => window.print()}>
              Print
            </Button>
            {editable ? (
              <Button onClick={onSave} loading={save.isPending} disabled={!dirty}>
                Save
              </Button>
            ) : null}
          </>
        }
      />
      <Stack gap="md">
        <ApiErrorAlert error={save.error} fields={['title', 'reviewMeetingAt']} />
        {save.isSuccess && !dirty ? (
          <Text size="sm" c="green" role="status">
            Saved.
          </Text>
        ) : null}
        {editable ? (
          <Group align="flex-end">
            <TextInput
              label="Title"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={fieldError(save.error, 'title')}
              w={480}
            />
            <TextInput
              label="Review meeting"
              type="datetime-local"
              value={meeting}
              onChange={(e) => setMeeting(e.currentTarget.value)}
              error={fieldError(save.error, 'reviewMeetingAt')}
            />
          </Group>
        ) : pm.reviewMeetingAt ? (
          <Text size="sm">Review meeting: {formatDateTime(pm.reviewMeetingAt)}</Text>
        ) : null}
        {sectionTitles.map(([s, label, hint]) => (
          <SectionEditor
            key={s}
            section={s}
            label={label}
            hint={hint}
            value={drafts[s]}
            editable={editable}
            error={fieldError(save.error, `sections.${s}`)}
            onChange={(v) => setDrafts((d) => ({ ...d, [s]: v }))}
          />
        ))}
        <ReviewPanel detail={detail} canWrite={canWrite} dirty={dirty} />
        <ActionItemsPanel detail={detail} canWrite={canWrite} />
        <CommentsPanel detail={detail} />
      </Stack>
    </>
  );
}

function SectionEditor(props: {
  section: SectionId;
  label: string;
  hint: string;
  value: string;
  editable: boolean;
  error: string | undefined;
  onChange: (v: string) => void;
}) {
  const [debounced] = useDebouncedValue(props.value, 400);
  const findings = useBlamelessCheck(debounced);
  const headingId = `pm-section-${props.section}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId} mb={4}>
        {props.label}
      </Title>
      {props.editable ? (
        <Tabs defaultValue="write" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="write">Write</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="xs">
            <Textarea
              aria-label={props.label}
              placeholder={props.hint}
              value={props.value}
              onChange={(e) => props.onChange(e.currentTarget.value)}
              autosize
              minRows={3}
              maxRows={20}
              error={props.error}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <MarkdownView markdown={props.value} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <MarkdownView markdown={props.value} />
      )}
      {findings.data?.length ? (
        <div role="group" aria-label={`Blameless language hints for ${props.label}`}>
          <Alert mt="xs" color="yellow" variant="light" title="Blameless language">
            <List size="sm" spacing={4}>
              {findings.data.map((f) => (
                <List.Item key={`${f.start}-${f.match}`}>
                  <Text span fw={600}>
                    “{f.match}”
                  </Text>{' '}
                  — {f.message}{' '}
                  <Text span c="dimmed">
                    Suggestion: {f.suggestion}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Alert>
        </div>
      ) : null}
    </Paper>
  );
}

function ReviewPanel({
  detail,
  canWrite,
  dirty,
}: {
  detail: PostmortemDetail;
  canWrite: boolean;
  dirty: boolean;
}) {
  const me = useCurrentUser();
  const pm = detail.postmortem;
  const members = useTeamMembers(pm.teamId);
  const submit = useSubmitPostmortem(pm.id);
  const review = useReviewPostmortem(pm.id);
  const publish = usePublishPostmortem(pm.id);
  const back = useBackToDraft(pm.id);
  const [reviewers, setReviewers] = useState<string[]>(detail.reviewers.map((r) => r.userId));
  const [note, setNote] = useState('');
  const mine = detail.reviewers.find((r) => r.userId === me.user.id);
  const allApproved =
    detail.reviewers.length > 0 && detail.reviewers.every((r) => r.state === 'approved');
  return (
    <PanelSection headingId="pm-review" title="Review">
      <Stack gap="sm">
        {detail.reviewers.length ? (
          <Group gap="xs">
            {detail.reviewers.map((r) => (
              <Badge
                key={r.userId}
                color={r.state === 'approved' ? 'green' : 'gray'}
                variant="light"
              >
                {r.name}: {r.state}
              </Badge>
            ))}
          </Group>
        ) : null}
        {pm.status === 'draft' && canWrite ? (
          <Group align="flex-end">
            <MultiSelect
              label="Reviewers"
              data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
              value={reviewers}
              onChange={setReviewers}
              w={400}
              searchable
              error={fieldError(submit.error, 'reviewerIds')}
            />
            <Button
              onClick={() => submit.mutate(reviewers)}
              loading={submit.isPending}
              disabled={dirty}
            >
              Submit for review
            </Button>
          </Group>
        ) : null}
        {pm.status === 'in_review' && mine ? (
          <Stack gap="xs">
            <Textarea
              label="Review comment"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            <Group>
              <Button
                color="green"
                onClick={() =>
                  review.mutate(
                    { decision: 'approve', body: note.trim() },
                    { onSuccess: () => setNote('') },
                  )
                }
                loading={review.isPending}
                disabled={mine.state === 'approved'}
              >
                Approve
              </Button>
              <Button
                variant="default"
                onClick={() =>
                  review.mutate(
                    { decision: 'comment', body: note.trim() },
                    { onSuccess: () => setNote('') },
                  )
                }
                disabled={!note.trim()}
              >
                Comment
              </Button>
            </Group>
          </Stack>
        ) : null}
        {pm.status === 'in_review' && canWrite ? (
          <Group>
            <Button
              onClick={() => publish.mutate()}
              loading={publish.isPending}
              disabled={!allApproved || dirty}
            >
              Publish
            </Button>
            <Button variant="default" onClick={() => back.mutate()} loading={back.isPending}>
              Back to draft
            </Button>
            {!allApproved ? (
              <Text size="sm" c="dimmed">
                Publishing needs every reviewer’s approval.
              </Text>
            ) : null}
          </Group>
        ) : null}
        {pm.status === 'published' ? (
          <Text size="sm">Published: this postmortem is final.</Text>
        ) : null}
        <ApiErrorAlert
          error={submit.error ?? review.error ?? publish.error ?? back.error}
          fields={['reviewerIds']}
        />
      </Stack>
    </PanelSection>
  );
}

/** A titled panel of the postmortem page. */
function PanelSection({
  headingId,
  title,
  children,
}: {
  headingId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const statusLabels: Record<ActionItem['status'], string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: "Won't do",
};

function ActionItemsPanel({ detail, canWrite }: { detail: PostmortemDetail; canWrite: boolean }) {
  const pm = detail.postmortem;
  const members = useTeamMembers(pm.teamId);
  const add = useAddActionItem(pm.id);
  const update = useUpdateActionItem(pm.id);
  const exportItem = useExportActionItem(pm.id);
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<ActionItem['priority']>('high');
  const [ownerId, setOwnerId] = useState('');
  const [due, setDue] = useState('');
  return (
    <PanelSection headingId="pm-actions" title="Action items">
      {detail.actionItems.length ? (
        <Table>
          <TableHead columns={['Action', 'Owner', 'Priority', 'Due', 'Status', 'Tracker']} />
          <Table.Tbody>
            {detail.actionItems.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.title}</Table.Td>
                <Table.Td>{a.ownerName ?? '—'}</Table.Td>
                <Table.Td>
                  {a.priority}{' '}
                  <Text span c="dimmed" size="xs">
                    ({a.plannedFor})
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.dueAt ? new Date(a.dueAt).toISOString().slice(0, 10) : '—'}
                  {a.overdue ? (
                    <Badge ml="xs" color="red" variant="light">
                      overdue
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {canWrite ? (
                    <NativeSelect
                      aria-label={`Status of ${a.title}`}
                      value={a.status}
                      onChange={(e) =>
                        update.mutate({
                          id: a.id,
                          status: e.currentTarget.value as ActionItem['status'],
                        })
                      }
                      data={Object.entries(statusLabels).map(([value, label]) => ({
                        value,
                        label,
                      }))}
                    />
                  ) : (
                    statusLabels[a.status]
                  )}
                </Table.Td>
                <Table.Td>
                  {a.external ? (
                    <Anchor href={a.external.url} target="_blank" rel="noopener noreferrer">
                      {a.external.key}
                    </Anchor>
                  ) : canWrite ? (
                    <Group gap={4}>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => exportItem.mutate({ id: a.id, tracker: 'jira' })}
                      >
                        To Jira
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => exportItem.mutate({ id: a.id, tracker: 'github' })}
                      >
                        To GitHub
                      </Button>
                    </Group>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed" size="sm">
          No action items yet.
        </Text>
      )}
      <ApiErrorAlert error={update.error ?? exportItem.error} />
      {canWrite ? (
        <Group align="flex-end" mt="sm">
          <TextInput
            label="New action item"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(add.error, 'title')}
            w={320}
          />
          <NativeSelect
            label="Priority"
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value as ActionItem['priority'])}
            data={[
              { value: 'high', label: 'High (current sprint)' },
              { value: 'medium', label: 'Medium (backlog)' },
              { value: 'low', label: 'Low (for the architects)' },
            ]}
          />
          <NativeSelect
            label="Owner"
            value={ownerId}
            onChange={(e) => setOwnerId(e.currentTarget.value)}
            data={[
              { value: '', label: 'Nobody yet' },
              ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.name })),
            ]}
            error={fieldError(add.error, 'ownerId')}
          />
          <TextInput
            label="Due"
            type="date"
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
          />
          <Button
            onClick={() =>
              add.mutate(
                {
                  title: title.trim(),
                  priority,
                  ownerId: ownerId || null,
                  dueAt: due ? Date.parse(`${due}T00:00:00Z`) : null,
                },
                { onSuccess: () => setTitle('') },
              )
            }
            loading={add.isPending}
            disabled={!title.trim()}
          >
            Add
          </Button>
        </Group>
      ) : null}
      <ApiErrorAlert error={add.error} fields={['title', 'ownerId']} />
    </PanelSection>
  );
}

function CommentsPanel({ detail }: { detail: PostmortemDetail }) {
  const comment = useCommentPostmortem(detail.postmortem.id);
  const [body, setBody] = useState('');
  return (
    <PanelSection headingId="pm-comments" title="Comments">
      <Stack gap="xs">
        {detail.comments.map((c) => (
          <Text key={c.id} size="sm">
            <Text span fw={600}>
              {c.authorName}
            </Text>{' '}
            <Text span c="dimmed" size="xs">
              {formatDateTime(c.createdAt)}
              {c.kind === 'approval' ? ' · approved' : ''}
            </Text>
            <br />
            {c.body}
          </Text>
        ))}
        <Group align="flex-end">
          <Textarea
            label="Add a comment"
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={1}
            w={480}
          />
          <Button
            variant="default"
            onClick={() => comment.mutate({ body: body.trim() }, { onSuccess: () => setBody('') })}
            disabled={!body.trim()}
            loading={comment.isPending}
          >
            Comment
          </Button>
        </Group>
        <ApiErrorAlert error={comment.error} />
      </Stack>
    </PanelSection>
  );
}
