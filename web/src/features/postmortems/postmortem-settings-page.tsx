import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  usePostmortemSettings,
  useSavePostmortemSettings,
  type PostmortemSettings,
} from '../../api/postmortems';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { OrgAdminOnly } from '../settings/org-admin-only';

/** Settings → Postmortems: when drafts are required, reminders, word list, trackers, digest. */
export function PostmortemSettingsPage() {
  const settings = usePostmortemSettings();
  return (
    <>
      <PageHeader
        title="Postmortems"
        order={2}
        description="Which incidents need a postmortem, the blameless word list, Jira and GitHub for action items, the weekly digest."
      />
      <OrgAdminOnly>
        {settings.isPending ? (
          <LoadingBlock label="Loading settings" />
        ) : settings.data ? (
          <SettingsForm settings={settings.data} />
        ) : (
          <ApiErrorAlert error={settings.error} />
        )}
      </OrgAdminOnly>
    </>
  );
}

function SettingsForm({ settings }: { settings: PostmortemSettings }) {
  const save = useSavePostmortemSettings();
  const [required, setRequired] = useState(settings.requiredSeverities);
  const [reminderHours, setReminderHours] = useState<number | string>(settings.reminderHours);
  const [syncMinutes, setSyncMinutes] = useState<number | string>(settings.syncMinutes);
  const [digest, setDigest] = useState(settings.weeklyDigest);
  const [terms, setTerms] = useState(
    settings.blameless.terms
      .map((t) => (t.suggestion ? `${t.term} = ${t.suggestion}` : t.term))
      .join('\n'),
  );
  const [disabled, setDisabled] = useState(settings.blameless.disabled.join('\n'));
  const [jiraOn, setJiraOn] = useState(settings.jira !== null);
  const [jira, setJira] = useState({
    baseUrl: settings.jira?.baseUrl ?? '',
    projectKey: settings.jira?.projectKey ?? '',
    issueType: settings.jira?.issueType ?? 'Task',
    email: settings.jira?.email ?? '',
    token: '',
  });
  const [ghOn, setGhOn] = useState(settings.github !== null);
  const [gh, setGh] = useState({
    baseUrl: settings.github?.baseUrl ?? 'https://api.github.com',
    owner: settings.github?.owner ?? '',
    repo: settings.github?.repo ?? '',
    token: '',
  });
  const lines = (s: string) =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      requiredSeverities: required,
      reminderHours: Number(reminderHours),
      syncMinutes: Number(syncMinutes),
      weeklyDigest: digest,
      blameless: {
        terms: lines(terms).map((l) => {
          const [term, ...rest] = l.split('=');
          return { term: (term ?? '').trim(), suggestion: rest.join('=').trim() };
        }),
        disabled: lines(disabled),
      },
      jira: jiraOn ? { ...jira, labels: settings.jira?.labels ?? [] } : null,
      github: ghOn ? { ...gh, labels: settings.github?.labels ?? [] } : null,
    });
  };
  const err = (f: string) => fieldError(save.error, f);
  const jiraField = bindFields(jira, setJira);
  const ghField = bindFields(gh, setGh);
  return (
    <form onSubmit={onSubmit}>
      <Stack gap="md" maw={720}>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            Drafts and reminders
          </Title>
          <Checkbox.Group
            label="Draft a postmortem when these resolve"
            value={required}
            onChange={setRequired}
          >
            <Group mt={4}>
              {['SEV1', 'SEV2', 'SEV3'].map((s) => (
                <Checkbox key={s} value={s} label={s} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group mt="sm">
            <NumberInput
              label="Overdue reminder every (hours)"
              value={reminderHours}
              onChange={setReminderHours}
              min={1}
              error={err('reminderHours')}
            />
            <NumberInput
              label="Poll trackers every (minutes)"
              value={syncMinutes}
              onChange={setSyncMinutes}
              min={1}
              error={err('syncMinutes')}
            />
          </Group>
          <Checkbox
            mt="sm"
            label="Weekly digest to team admins (Monday 08:00 UTC)"
            checked={digest}
            onChange={(e) => setDigest(e.currentTarget.checked)}
          />
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            Blameless word list
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Built in: {settings.defaultTerms.map((t) => t.term).join(', ')}.
          </Text>
          <Textarea
            label="More terms (one per line, “term = suggestion”)"
            value={terms}
            onChange={(e) => setTerms(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Textarea
            mt="sm"
            label="Built-in terms to switch off (one per line)"
            value={disabled}
            onChange={(e) => setDisabled(e.currentTarget.value)}
            autosize
            minRows={1}
          />
        </Paper>
        <TrackerSection label="Export action items to Jira" enabled={jiraOn} onToggle={setJiraOn}>
          <TextInput label="Jira URL" {...jiraField('baseUrl')} error={err('jira.baseUrl')} />
          <Group>
            <TextInput
              label="Project key"
              {...jiraField('projectKey')}
              error={err('jira.projectKey')}
            />
            <TextInput
              label="Issue type"
              {...jiraField('issueType')}
              error={err('jira.issueType')}
            />
          </Group>
          <TextInput
            label="Account email (empty for a personal access token)"
            {...jiraField('email')}
          />
          <PasswordInput
            label="API token"
            placeholder={settings.jira?.tokenSet ? 'Set (leave empty to keep it)' : ''}
            {...jiraField('token')}
            error={err('jira.token')}
          />
        </TrackerSection>
        <TrackerSection
          label="Export action items to GitHub issues"
          enabled={ghOn}
          onToggle={setGhOn}
        >
          <TextInput label="GitHub API URL" {...ghField('baseUrl')} error={err('github.baseUrl')} />
          <Group>
            <TextInput label="Owner" {...ghField('owner')} error={err('github.owner')} />
            <TextInput label="Repository" {...ghField('repo')} error={err('github.repo')} />
          </Group>
          <PasswordInput
            label="Token"
            placeholder={settings.github?.tokenSet ? 'Set (leave empty to keep it)' : ''}
            {...ghField('token')}
            error={err('github.token')}
          />
        </TrackerSection>
        <ApiErrorAlert
          error={save.error}
          fieldPrefixes={['jira', 'github']}
          fields={['reminderHours', 'syncMinutes']}
        />
        {save.isSuccess ? <SuccessNote>Saved.</SuccessNote> : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Props that bind a text input to one field of an object held in state. */
function bindFields<T extends Record<string, string>>(value: T, setValue: (next: T) => void) {
  return (key: keyof T) => ({
    value: value[key],
    onChange: (e: { currentTarget: { value: string } }) =>
      setValue({ ...value, [key]: e.currentTarget.value }),
  });
}

/** An issue tracker's settings, shown while exporting to it is switched on. */
function TrackerSection({
  label,
  enabled,
  onToggle,
  children,
}: {
  label: string;
  enabled: boolean;
  onToggle: (enabled: boolean) => void;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md">
      <Checkbox
        label={label}
        checked={enabled}
        onChange={(e) => onToggle(e.currentTarget.checked)}
      />
      {enabled ? (
        <Stack gap="xs" mt="sm">
          {children}
        </Stack>
      ) : null}
    </Paper>
  );
}
