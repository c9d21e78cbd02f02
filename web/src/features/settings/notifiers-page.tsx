import {
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNotifiers, useSaveNotifier, useTestNotifier } from '../../api/notifications';
import type { NotifierSettings } from '../../api/types';
import { ApiErrorAlert, fieldErrorUnder } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { PasswordField } from '../../ui/password-field';
import { SuccessNote } from '../../ui/success-note';
import { SendOutcomeText } from '../notifications/send-outcome';
import {
  NOTIFIER_FIELDS,
  STORED_SECRET_PLACEHOLDER,
  TEST_ADDRESS,
  generateWebhookSecret,
} from './notifier-fields';
import type { NotifierField } from './notifier-fields';
import { OrgAdminOnly } from './org-admin-only';

/** Values of the non-secret fields, as the inputs hold them. */
type FieldValues = Record<string, string | number | boolean>;

function initialValues(fields: readonly NotifierField[], view: NotifierSettings): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    if (field.kind === 'secret' || field.kind === 'secret-list') continue;
    const stored = view.config[field.name];
    if (field.kind === 'switch') {
      values[field.name] =
        typeof stored === 'boolean' ? stored : field.defaultValue === true ? true : false;
    } else if (typeof stored === 'string' || typeof stored === 'number') {
      values[field.name] = stored;
    } else {
      values[field.name] = field.defaultValue === undefined ? '' : String(field.defaultValue);
    }
  }
  return values;
}

/** Required fields left empty (a stored secret counts as filled; a default fills the rest). */
function missingFields(
  fields: readonly NotifierField[],
  values: FieldValues,
  secrets: Record<string, string>,
  view: NotifierSettings,
): string[] {
  return fields
    .filter((field) => {
      if (field.optional || field.kind === 'switch' || field.defaultValue !== undefined)
        return false;
      if (field.kind === 'secret' || field.kind === 'secret-list')
        return !view.secretsSet.includes(field.name) && !secrets[field.name]?.trim();
      return String(values[field.name] ?? '').trim() === '';
    })
    .map((field) => field.name);
}

/** One secret per line, blank lines dropped. */
function secretLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The config to save: the inputs' values, empty fields left out (the server's default applies,
 * and an empty secret keeps the stored one).
 */
function toConfig(
  fields: readonly NotifierField[],
  values: FieldValues,
  secrets: Record<string, string>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...stored };
  for (const field of fields) {
    delete config[field.name];
    const value = values[field.name];
    switch (field.kind) {
      case 'switch':
        config[field.name] = value === true;
        break;
      case 'number':
        if (value !== '' && value !== undefined) config[field.name] = Number(value);
        break;
      case 'text':
      case 'url': {
        const text = String(value ?? '').trim();
        if (text) config[field.name] = text;
        break;
      }
      case 'secret':
        if (secrets[field.name]?.trim()) config[field.name] = secrets[field.name];
        break;
      case 'secret-list': {
        const list = secretLines(secrets[field.name]);
        if (list.length > 0) config[field.name] = list;
        break;
      }
    }
  }
  return config;
}

const CAPABILITY_LABELS = [
  {
    key: 'updateInPlace',
    label: 'Updates in place',
    title: 'Sent messages change when the incident is acknowledged or resolved.',
  },
  {
    key: 'deliveryReceipts',
    label: 'Delivery receipts',
    title: 'The provider reports when a message was delivered.',
  },
  {
    key: 'interactive',
    label: 'Interactive',
    title: 'People can acknowledge or resolve from the message.',
  },
] as const;

function StatusBadge({ view }: { view: NotifierSettings }) {
  if (!view.configured)
    return (
      <Badge color="yellow" variant="light">
        Not set up
      </Badge>
    );
  return view.enabled ? (
    <Badge color="green" variant="light">
      Enabled
    </Badge>
  ) : (
    <Badge color="gray" variant="light">
      Disabled
    </Badge>
  );
}

/** "Send test": an address, the button, and what the provider answered. */
function SendTestRow({ view }: { view: NotifierSettings }) {
  const test = useTestNotifier();
  const [to, setTo] = useState('');
  const address = TEST_ADDRESS[view.capabilities.addressKind];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    test.mutate({ notifierId: view.id, to: to.trim() });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Send a test through ${view.label}`}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Send a test to"
          description={address.label}
          name="to"
          autoComplete="off"
          placeholder={address.placeholder}
          miw={0}
          maw={480}
          flex="1 1 14rem"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <Button type="submit" variant="light" loading={test.isPending} disabled={to.trim() === ''}>
          Send test
        </Button>
      </Group>
      <Stack gap={0} mt={6}>
        <SendOutcomeText result={test.data} error={test.error} />
      </Stack>
      <Text size="xs" c="dimmed" mt={4}>
        {view.enabled
          ? 'Tests use the saved settings.'
          : 'Enable and save the notifier first: tests use the saved settings.'}
      </Text>
    </form>
  );
}

/** A notifier's card: what it can do, its settings form and "Send test". */
function NotifierCard({ view }: { view: NotifierSettings }) {
  const fields = NOTIFIER_FIELDS[view.id] ?? [];
  const save = useSaveNotifier();
  const [enabled, setEnabled] = useState(view.enabled);
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields, view));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [missing, setMissing] = useState<readonly string[]>([]);
  const headingId = `notifier-${view.id}-heading`;

  const setValue = (name: string, value: string | number | boolean) => {
    setValues((current) => ({ ...current, [name]: value }));
    setMissing((current) => current.filter((m) => m !== name));
  };
  const setSecret = (name: string, value: string) => {
    setSecrets((current) => ({ ...current, [name]: value }));
    setMissing((current) => current.filter((m) => m !== name));
  };
  const errorOf = (field: NotifierField) =>
    (missing.includes(field.name) ? 'Required' : undefined) ??
    fieldErrorUnder(
      save.error,
      `config.${field.name}`,
      field.kind === 'secret-list' ? secretLines(secrets[field.name]) : undefined,
    );
  /** What every field's input shows of it: its label, description, form name and error. */
  const fieldProps = (field: NotifierField) => ({
    label: field.label,
    description: field.description,
    name: field.name,
    error: errorOf(field),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const empty = missingFields(fields, values, secrets, view);
    setMissing(empty);
    if (empty.length > 0) return;
    save.mutate(
      {
        notifierId: view.id,
        enabled,
        config: toConfig(fields, values, secrets, view.config),
      },
      {
        onSuccess: (next) => {
          setSecrets({});
          setValues(initialValues(fields, next));
          setEnabled(next.enabled);
          setSaved(true);
        },
      },
    );
  };

  const inputs = fields.filter((f) => f.kind !== 'switch' && f.kind !== 'secret-list');
  const switches = fields.filter((f) => f.kind === 'switch');
  const lists = fields.filter((f) => f.kind === 'secret-list');
  const capabilities = CAPABILITY_LABELS.filter((c) => view.capabilities[c.key]);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={3} id={headingId}>
              {view.label}
            </Title>
            <StatusBadge view={view} />
          </Group>
          {capabilities.length > 0 ? (
            <Group gap={6} aria-label="Capabilities">
              {capabilities.map((c) => (
                <Badge
                  key={c.key}
                  variant="outline"
                  color="indigo"
                  size="sm"
                  title={c.title}
                  style={{ textTransform: 'none' }}
                >
                  {c.label}
                </Badge>
              ))}
            </Group>
          ) : null}
        </Stack>
        {view.updatedAt !== null ? (
          <Text size="xs" c="dimmed">
            Saved <DateTime value={view.updatedAt} />
          </Text>
        ) : null}
      </Group>

      <Stack gap="md">
        <form onSubmit={onSubmit} noValidate aria-label={`${view.label} settings`}>
          <Stack gap="sm">
            {saved ? (
              <SuccessNote onClose={() => setSaved(false)}>
                {view.label} saved{enabled ? '' : ' (disabled: nothing is sent through it)'}.
              </SuccessNote>
            ) : null}
            <ApiErrorAlert
              error={save.error}
              title={`Could not save ${view.label}`}
              fieldPrefixes={fields.map((f) => `config.${f.name}`)}
              onClose={() => save.reset()}
            />
            <Switch
              label="Enabled"
              description="Switched off, messages on this channel fail over to people's next contact method."
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />
            {fields.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing to set up: each person's contact method holds the address to post to.
              </Text>
            ) : null}
            {inputs.length > 0 ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {inputs.map((field) => {
                  const isSet = view.secretsSet.includes(field.name);
                  if (field.kind === 'secret') {
                    return (
                      <PasswordField
                        key={field.name}
                        {...fieldProps(field)}
                        autoComplete="new-password"
                        placeholder={isSet ? STORED_SECRET_PLACEHOLDER : field.placeholder}
                        withAsterisk={!field.optional && !isSet}
                        value={secrets[field.name] ?? ''}
                        onChange={(e) => setSecret(field.name, e.currentTarget.value)}
                      />
                    );
                  }
                  if (field.kind === 'number') {
                    return (
                      <NumberInput
                        key={field.name}
                        {...fieldProps(field)}
                        allowDecimal={false}
                        min={1}
                        max={65535}
                        value={values[field.name] as number | string}
                        onChange={(value) => setValue(field.name, value)}
                      />
                    );
                  }
                  return (
                    <TextInput
                      key={field.name}
                      {...fieldProps(field)}
                      type={field.kind === 'url' ? 'url' : 'text'}
                      autoComplete="off"
                      placeholder={field.placeholder}
                      withAsterisk={!field.optional}
                      value={String(values[field.name] ?? '')}
                      onChange={(e) => setValue(field.name, e.currentTarget.value)}
                    />
                  );
                })}
              </SimpleGrid>
            ) : null}
            {switches.map((field) => (
              <Switch
                key={field.name}
                {...fieldProps(field)}
                checked={values[field.name] === true}
                onChange={(e) => setValue(field.name, e.currentTarget.checked)}
              />
            ))}
            {lists.map((field) => {
              const isSet = view.secretsSet.includes(field.name);
              return (
                <Stack key={field.name} gap={4}>
                  <Textarea
                    {...fieldProps(field)}
                    autoComplete="off"
                    spellCheck={false}
                    autosize
                    minRows={2}
                    withAsterisk={!isSet}
                    placeholder={isSet ? STORED_SECRET_PLACEHOLDER : field.placeholder}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    value={secrets[field.name] ?? ''}
                    onChange={(e) => setSecret(field.name, e.currentTarget.value)}
                  />
                  <Group>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() =>
                        setSecret(
                          field.name,
                          [generateWebhookSecret(), ...secretLines(secrets[field.name])].join('\n'),
                        )
                      }
                    >
                      Generate a new secret
                    </Button>
                  </Group>
                </Stack>
              );
            })}
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
        <SendTestRow view={view} />
      </Stack>
    </Paper>
  );
}

/** /settings/notifiers: org-wide settings of every notifier, with "Send test" (org admins). */
export function NotifiersPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Notifiers"
        description="How pages leave Tocsin: email, Slack, SMS, calls, webhooks and Teams. Secrets are encrypted at rest and never shown again once saved."
      />
      <OrgAdminOnly>
        <NotifierList />
      </OrgAdminOnly>
    </>
  );
}

function NotifierList() {
  const notifiers = useNotifiers();
  return (
    <Stack gap="xl">
      <ApiErrorAlert error={notifiers.error} title="Could not load the notifiers" />
      {notifiers.isPending ? <LoadingBlock label="Loading notifiers" /> : null}
      {notifiers.data?.map((view) => (
        <NotifierCard key={view.id} view={view} />
      ))}
    </Stack>
  );
}
