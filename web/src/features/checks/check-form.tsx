import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  CHECK_KINDS,
  HEADER_VALUE_MASK,
  useCheckKinds,
  useCreateCheck,
  useTestCheckDraft,
  useUpdateCheck,
} from '../../api/checks';
import type {
  Check,
  CheckKind,
  CreateCheckRequest,
  CreateCheckResponse,
  UpdateCheckRequest,
} from '../../api/checks';
import { ApiError } from '../../api/client';
import { useServices } from '../../api/services';
import type { Severity } from '../../api/types';
import { ApiErrorAlert, fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { isSeverity, SEVERITY_OPTIONS } from '../alerts/signal-labels';
import { useCurrentUser } from '../auth/current-user';
import { canInTeam } from '../auth/team-access';
import { ChoiceRadios } from '../alerts/choice-radios';
import { TimeZoneSelect } from '../oncall/time-zone-select';
import { browserTimeZone } from '../../ui/zoned-time';
import { KIND_DESCRIPTIONS, KIND_LABELS } from './check-labels';
import { TestResult } from './test-result';

/*
 * The create and edit form of a check, every kind: the common fields (name, service, schedule,
 * confirmations, severity), the kind's own config, and, for org admins, reaching private
 * addresses. Numbers are kept as the inputs give them (number or '') and checked on submit.
 */

type Num = number | string;

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'CAA', 'SOA', 'PTR'] as const;
const JSON_OPS = [
  { value: 'exists', label: 'exists' },
  { value: 'equals', label: 'equals' },
  { value: 'notEquals', label: 'does not equal' },
  { value: 'contains', label: 'contains' },
  { value: 'lt', label: 'is less than' },
  { value: 'gt', label: 'is greater than' },
];

interface Draft {
  kind: CheckKind;
  name: string;
  serviceId: string;
  intervalSeconds: Num;
  timeoutSeconds: Num;
  failuresToAlert: Num;
  successesToResolve: Num;
  severity: Severity;
  allowPrivate: boolean;
  // heartbeat
  schedule: 'interval' | 'cron';
  cron: string;
  timeZone: string;
  graceSeconds: Num;
  // http
  url: string;
  method: string;
  expectStatus: string;
  keyword: string;
  keywordAbsent: boolean;
  headers: string;
  body: string;
  jsonPath: string;
  jsonOp: string;
  jsonValue: string;
  maxLatencyMs: Num;
  followRedirects: boolean;
  maxRedirects: Num;
  certExpiryDays: Num;
  verifyTls: boolean;
  // tcp, tls, ping
  host: string;
  port: Num;
  servername: string;
  // dns
  dnsName: string;
  recordType: string;
  expected: string;
  match: string;
  nameserver: string;
  // ping
  count: Num;
  maxLossPercent: Num;
}

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
const numOr = (v: unknown, fallback: Num): Num => (typeof v === 'number' ? v : fallback);
const boolOr = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

function draftOf(check: Check | undefined, serviceId: string): Draft {
  const c = check?.config ?? {};
  const jsonPath = (c.jsonPath ?? null) as { path?: unknown; op?: unknown; value?: unknown } | null;
  const headers = (c.headers ?? {}) as Record<string, unknown>;
  const kind = check?.kind ?? 'http';
  return {
    kind,
    name: check?.name ?? '',
    serviceId: check?.serviceId ?? serviceId,
    intervalSeconds: check?.intervalSeconds ?? 60,
    timeoutSeconds: check?.timeoutSeconds ?? 10,
    failuresToAlert: check?.failuresToAlert ?? '',
    successesToResolve: check?.successesToResolve ?? 1,
    severity: check?.severity ?? 'critical',
    allowPrivate: check?.allowPrivate ?? false,
    schedule: check?.cron ? 'cron' : 'interval',
    cron: check?.cron ?? '',
    timeZone: check?.kind === 'heartbeat' ? check.timeZone : browserTimeZone(),
    graceSeconds: check?.kind === 'heartbeat' ? check.graceSeconds : 300,
    url: str(c.url),
    method: str(c.method, 'GET'),
    expectStatus: Array.isArray(c.expectStatus)
      ? (c.expectStatus as unknown[]).map((s) => str(s)).join(', ')
      : '200-399',
    keyword: str(c.keyword),
    keywordAbsent: boolOr(c.keywordAbsent, false),
    headers: Object.entries(headers)
      .map(([k, v]) => `${k}: ${str(v)}`)
      .join('\n'),
    body: str(c.body),
    jsonPath: str(jsonPath?.path),
    jsonOp: str(jsonPath?.op, 'equals'),
    jsonValue:
      jsonPath?.value === undefined
        ? ''
        : typeof jsonPath.value === 'string'
          ? jsonPath.value
          : JSON.stringify(jsonPath.value),
    maxLatencyMs: numOr(c.maxLatencyMs, ''),
    followRedirects: boolOr(c.followRedirects, true),
    maxRedirects: numOr(c.maxRedirects, 5),
    certExpiryDays: numOr(c.certExpiryDays, 14),
    verifyTls: boolOr(c.verifyTls, true),
    host: str(c.host),
    port: numOr(c.port, kind === 'tls' ? 443 : ''),
    servername: str(c.servername),
    dnsName: kind === 'dns' ? str(c.name) : '',
    recordType: str(c.recordType, 'A'),
    expected: Array.isArray(c.expected)
      ? (c.expected as unknown[]).map((s) => str(s)).join('\n')
      : '',
    match: str(c.match, 'contains'),
    nameserver: str(c.nameserver),
    count: numOr(c.count, 3),
    maxLossPercent: numOr(c.maxLossPercent, 99),
  };
}

/** The draft's fields of exactly type T. */
type FieldsOf<T> = {
  [K in keyof Draft]: [Draft[K]] extends [T] ? ([T] extends [Draft[K]] ? K : never) : never;
}[keyof Draft];

/** Props that bind an input to a draft field: text (inputs, selects, textareas), numbers, checkboxes. */
function bindDraft(d: Draft, set: (patch: Partial<Draft>) => void) {
  return {
    text: (key: FieldsOf<string>) => ({
      value: d[key],
      onChange: (e: { currentTarget: { value: string } }) =>
        set({ [key]: e.currentTarget.value } as Partial<Draft>),
    }),
    num: (key: FieldsOf<Num>) => ({
      value: d[key],
      onChange: (v: Num) => set({ [key]: v } as Partial<Draft>),
      allowDecimal: false,
    }),
    flag: (key: FieldsOf<boolean>) => ({
      checked: d[key],
      onChange: (e: { currentTarget: { checked: boolean } }) =>
        set({ [key]: e.currentTarget.checked } as Partial<Draft>),
    }),
  };
}

/** A problem found before sending: shown next to its input. */
interface LocalError {
  field: string;
  message: string;
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const int = (v: Num): number | undefined =>
  v === '' || v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);

/** A JSON-path value as typed: numbers, true, false and null as such, anything else a string. */
function jsonValueOf(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return text;
}

function configOf(d: Draft): { config: Record<string, unknown> } | LocalError {
  switch (d.kind) {
    case 'http': {
      const headers: Record<string, string> = {};
      for (const line of lines(d.headers)) {
        const colon = line.indexOf(':');
        if (colon <= 0)
          return { field: 'config.headers', message: `“${line}”: write headers as Name: value` };
        headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      const expectStatus = d.expectStatus
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        config: {
          url: d.url.trim(),
          method: d.method,
          headers,
          body: d.body === '' ? null : d.body,
          expectStatus: expectStatus.length ? expectStatus : ['200-399'],
          keyword: d.keyword === '' ? null : d.keyword,
          keywordAbsent: d.keywordAbsent,
          jsonPath: d.jsonPath.trim()
            ? {
                path: d.jsonPath.trim(),
                op: d.jsonOp,
                ...(d.jsonOp === 'exists' ? {} : { value: jsonValueOf(d.jsonValue) }),
              }
            : null,
          maxLatencyMs: int(d.maxLatencyMs) ?? null,
          followRedirects: d.followRedirects,
          maxRedirects: int(d.maxRedirects) ?? 5,
          certExpiryDays: int(d.certExpiryDays) ?? 0,
          verifyTls: d.verifyTls,
        },
      };
    }
    case 'tcp':
      return { config: { host: d.host.trim(), port: int(d.port) ?? 0 } };
    case 'tls':
      return {
        config: {
          host: d.host.trim(),
          port: int(d.port) ?? 443,
          servername: d.servername.trim() || null,
          certExpiryDays: int(d.certExpiryDays) ?? 0,
          verifyTls: d.verifyTls,
        },
      };
    case 'dns':
      return {
        config: {
          name: d.dnsName.trim(),
          recordType: d.recordType,
          expected: lines(d.expected),
          match: d.match,
          nameserver: d.nameserver.trim() || null,
        },
      };
    case 'ping':
      return {
        config: {
          host: d.host.trim(),
          count: int(d.count) ?? 3,
          maxLossPercent: int(d.maxLossPercent) ?? 99,
        },
      };
    case 'heartbeat':
      return { config: {} };
  }
}

/** The request fields common to create and edit (the kind's config aside). */
function commonOf(d: Draft) {
  const heartbeat = d.kind === 'heartbeat';
  return {
    name: d.name.trim(),
    serviceId: d.serviceId,
    intervalSeconds: int(d.intervalSeconds),
    ...(heartbeat
      ? {
          graceSeconds: int(d.graceSeconds),
          cron: d.schedule === 'cron' ? d.cron.trim() || null : null,
          timeZone: d.timeZone,
        }
      : { timeoutSeconds: int(d.timeoutSeconds) }),
    failuresToAlert: int(d.failuresToAlert),
    successesToResolve: int(d.successesToResolve),
    severity: d.severity,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed, so that an edit never re-decides what it did not touch. */
function changesOf(check: Check, d: Draft, config: Record<string, unknown>): UpdateCheckRequest {
  const out: Record<string, unknown> = {};
  const common = commonOf(d);
  for (const [key, value] of Object.entries(common)) {
    if (value === undefined) continue;
    if (!same(value, (check as unknown as Record<string, unknown>)[key])) out[key] = value;
  }
  if (d.allowPrivate !== check.allowPrivate) out.allowPrivate = d.allowPrivate;
  const changedConfig = Object.fromEntries(
    Object.entries(config).filter(([k, v]) => !same(v, check.config[k])),
  );
  if (Object.keys(changedConfig).length) out.config = changedConfig;
  return out as UpdateCheckRequest;
}

interface CheckFormProps {
  /** The check being edited; a new check when absent. */
  check?: Check;
  /** The service a new check starts on. */
  defaultServiceId?: string;
  onCreated?: (created: CreateCheckResponse) => void;
  onSaved?: (check: Check) => void;
  onCancel: () => void;
}

export function CheckForm({
  check,
  defaultServiceId,
  onCreated,
  onSaved,
  onCancel,
}: CheckFormProps) {
  const me = useCurrentUser();
  const services = useServices();
  const kinds = useCheckKinds();
  const create = useCreateCheck();
  const update = useUpdateCheck(check?.id ?? '');
  const test = useTestCheckDraft();
  const writable = (services.data ?? []).filter((s) => canInTeam(me, s.teamId, 'responder'));
  const [draft, setDraft] = useState<Draft>(() =>
    draftOf(check, defaultServiceId ?? writable[0]?.id ?? ''),
  );
  const [local, setLocal] = useState<ApiError | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((prev) => ({ ...prev, ...patch }));
  const d = draft;
  const { text, num, flag } = bindDraft(d, set);
  const editing = check !== undefined;
  const mutation = editing ? update : create;
  // A problem found before sending is shown like the server's own, next to its input.
  const err = local ?? mutation.error;
  const fe = (field: string) => fieldError(err, field);
  const probe = d.kind !== 'heartbeat';
  // The service select lists the services the user may add checks to (and the current one).
  const serviceId = d.serviceId || writable[0]?.id || '';

  /** The form as a create body (what "Test now" sends too). */
  const createBody = (config: Record<string, unknown>): CreateCheckRequest => {
    const common = commonOf({ ...d, serviceId });
    return {
      ...Object.fromEntries(Object.entries(common).filter(([, v]) => v !== undefined)),
      name: common.name,
      serviceId,
      kind: d.kind,
      ...(d.allowPrivate ? { allowPrivate: true } : {}),
      config,
    } as CreateCheckRequest;
  };

  const onTest = () => {
    setLocal(null);
    const built = configOf({ ...d, serviceId });
    if ('field' in built) {
      setLocal(new ApiError(0, 'INVALID', built.message, built.field));
      return;
    }
    // Editing: header values still shown as the mask are the saved check's (the server has them).
    test.mutate(
      editing && d.kind === 'http'
        ? { ...createBody(built.config), checkId: check.id }
        : createBody(built.config),
    );
  };
  const savedHeaders =
    editing && Object.keys((check.config.headers ?? {}) as Record<string, unknown>).length > 0;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setLocal(null);
    const built = configOf({ ...d, serviceId });
    if ('field' in built) {
      setLocal(new ApiError(0, 'INVALID', built.message, built.field));
      return;
    }
    if (editing) {
      const body = changesOf(check, { ...d, serviceId }, built.config);
      if (Object.keys(body).length === 0) {
        onSaved?.(check);
        return;
      }
      update.mutate(body, { onSuccess: (saved) => onSaved?.(saved) });
      return;
    }
    create.mutate(createBody(built.config), { onSuccess: (created) => onCreated?.(created) });
  };

  const kindOptions = CHECK_KINDS.map((k) => {
    const info = kinds.data?.find((i) => i.kind === k);
    const unavailable = info !== undefined && !info.available;
    return {
      value: k,
      label: `${KIND_LABELS[k]}${unavailable ? ` (not available${info.note ? `: ${info.note}` : ''})` : ''}`,
      disabled: unavailable,
    };
  });

  const serviceOptions = [
    ...(writable.length === 0
      ? [{ value: '', label: 'No service you can add checks to', disabled: true }]
      : []),
    ...writable.map((s) => ({ value: s.id, label: `${s.name} (${s.teamName})` })),
    ...(check && !writable.some((s) => s.id === check.serviceId)
      ? [{ value: check.serviceId, label: 'Current service' }]
      : []),
  ];

  return (
    <form onSubmit={onSubmit} noValidate aria-label={editing ? 'Edit check' : 'New check'}>
      <Stack>
        <ApiErrorAlert
          error={err}
          title={editing ? 'Could not save the check' : 'Could not create the check'}
          fields={[
            'name',
            'serviceId',
            'intervalSeconds',
            'timeoutSeconds',
            'graceSeconds',
            'cron',
            'timeZone',
            'failuresToAlert',
            'successesToResolve',
            'allowPrivate',
          ]}
          fieldPrefixes={['config']}
        />
        {editing ? (
          <Text size="sm">
            Type: <strong>{KIND_LABELS[d.kind]}</strong> (the type of a check cannot change)
          </Text>
        ) : (
          <NativeSelect
            label="Check type"
            description={KIND_DESCRIPTIONS[d.kind]}
            value={d.kind}
            onChange={(e) => {
              const kind = e.currentTarget.value as CheckKind;
              set({
                kind,
                ...(kind === 'heartbeat' ? { intervalSeconds: 3600 } : {}),
                ...(d.kind === 'heartbeat' && kind !== 'heartbeat' ? { intervalSeconds: 60 } : {}),
                ...(kind === 'tls' && d.port === '' ? { port: 443 } : {}),
              });
            }}
            data={kindOptions}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Check name"
            name="name"
            autoComplete="off"
            required
            {...text('name')}
            error={fe('name')}
          />
          <NativeSelect
            label="Service"
            description="Alerts from this check go to this service."
            value={serviceId}
            onChange={(e) => set({ serviceId: e.currentTarget.value })}
            error={fe('serviceId') ?? (services.error ? 'Could not load the services.' : undefined)}
            data={serviceOptions}
          />
        </SimpleGrid>

        <KindFields draft={d} set={set} err={err} fe={fe} savedHeaders={savedHeaders} />

        <Fieldset legend="Schedule">
          {probe ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label="Interval (seconds)"
                description="How often to check: 10 s to 1 day."
                min={10}
                max={86_400}
                {...num('intervalSeconds')}
                error={fe('intervalSeconds')}
              />
              <NumberInput
                label="Timeout (seconds)"
                description="Slower than this counts as a failure (at most the interval)."
                min={1}
                max={60}
                {...num('timeoutSeconds')}
                error={fe('timeoutSeconds')}
              />
            </SimpleGrid>
          ) : (
            <Stack gap="sm">
              <ChoiceRadios
                label="Pings are expected"
                options={[
                  { value: 'interval', label: 'Every interval' },
                  { value: 'cron', label: 'On a cron schedule' },
                ]}
                value={d.schedule}
                onChange={(schedule) => set({ schedule })}
              />
              {d.schedule === 'cron' ? (
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Cron expression"
                    description="Five fields, like 0 3 * * * (every day at 03:00)."
                    autoComplete="off"
                    {...text('cron')}
                    error={fe('cron')}
                  />
                  <TimeZoneSelect
                    value={d.timeZone}
                    onChange={(timeZone) => set({ timeZone })}
                    error={fe('timeZone')}
                  />
                </SimpleGrid>
              ) : (
                <NumberInput
                  label="Interval (seconds)"
                  description="The job pings at least this often: 10 s to 35 days."
                  min={10}
                  max={35 * 86_400}
                  maw={420}
                  {...num('intervalSeconds')}
                  error={fe('intervalSeconds')}
                />
              )}
              <NumberInput
                label="Grace period (seconds)"
                description="How late a ping may be before it counts as missed."
                min={0}
                max={7 * 86_400}
                maw={420}
                {...num('graceSeconds')}
                error={fe('graceSeconds')}
              />
            </Stack>
          )}
        </Fieldset>

        <Fieldset legend="Alerting">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label="Failures before alerting"
              description={`Consecutive failures that confirm it is down (default ${probe ? 2 : 1}).`}
              min={1}
              max={20}
              placeholder={probe ? '2' : '1'}
              {...num('failuresToAlert')}
              error={fe('failuresToAlert')}
            />
            <NumberInput
              label="Successes before resolving"
              description="Consecutive successes that confirm it is back up."
              min={1}
              max={20}
              {...num('successesToResolve')}
              error={fe('successesToResolve')}
            />
            <NativeSelect
              label="Alert severity"
              description="Severity routing of the service decides who is paged."
              value={d.severity}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (isSeverity(v)) set({ severity: v });
              }}
              data={SEVERITY_OPTIONS}
            />
          </SimpleGrid>
        </Fieldset>

        {probe && (me.user.isOrgAdmin || d.allowPrivate) ? (
          <Checkbox
            label="May reach private addresses"
            description="Loopback, private and link-local targets are refused unless allowed here (org admins only) or in TOCSIN_OUTBOUND_ALLOW."
            disabled={!me.user.isOrgAdmin}
            {...flag('allowPrivate')}
            error={fe('allowPrivate')}
          />
        ) : null}

        {probe ? (
          <Stack gap="xs">
            <Group>
              <Button variant="default" loading={test.isPending} onClick={onTest} type="button">
                Test now
              </Button>
              <Text size="xs" c="dimmed">
                Runs these settings once, {editing ? 'saved or not' : 'before creating the check'};
                the result is shown, not recorded.
              </Text>
            </Group>
            <ApiErrorAlert error={test.error} title="Could not run the test" />
            {test.data ? <TestResult outcome={test.data} /> : null}
          </Stack>
        ) : null}

        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} type="button">
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {editing ? 'Save check' : 'Create check'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface KindFieldsProps {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  err: unknown;
  fe: (field: string) => string | undefined;
  /** Editing a check with saved headers: their values show as the mask. */
  savedHeaders?: boolean;
}

function KindFields({ draft: d, set, err, fe, savedHeaders = false }: KindFieldsProps) {
  const under = (prefix: string) => fieldErrorUnder(err, prefix);
  const { text, num, flag } = bindDraft(d, set);
  switch (d.kind) {
    case 'http':
      return (
        <Fieldset legend="HTTP request">
          <Stack gap="sm">
            <Group align="flex-start" grow preventGrowOverflow={false} wrap="nowrap">
              <NativeSelect label="Method" maw={130} {...text('method')} data={[...HTTP_METHODS]} />
              <TextInput
                label="URL"
                placeholder="https://example.com/health"
                autoComplete="off"
                required
                {...text('url')}
                error={fe('config.url')}
              />
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Expected status"
                description="Codes that count as up: 200, 2xx or 200-299, separated by commas."
                {...text('expectStatus')}
                error={under('config.expectStatus')}
              />
              <NumberInput
                label="Maximum latency (ms)"
                description="Slower counts as down; empty: no limit."
                min={1}
                max={60_000}
                {...num('maxLatencyMs')}
                error={fe('config.maxLatencyMs')}
              />
            </SimpleGrid>
            <Group align="flex-end">
              <TextInput
                label="Keyword"
                description="Text the body must contain; empty: not checked."
                style={{ flex: 1 }}
                {...text('keyword')}
                error={fe('config.keyword')}
              />
              <Checkbox label="Must be absent" mb={8} {...flag('keywordAbsent')} />
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label="JSON path"
                description="Optional: $.status, $.items[0].id"
                autoComplete="off"
                {...text('jsonPath')}
                error={under('config.jsonPath')}
              />
              <NativeSelect
                label="JSON condition"
                {...text('jsonOp')}
                data={JSON_OPS}
                disabled={!d.jsonPath.trim()}
              />
              <TextInput
                label="JSON value"
                description="Numbers, true, false and null are read as such."
                {...text('jsonValue')}
                disabled={!d.jsonPath.trim() || d.jsonOp === 'exists'}
              />
            </SimpleGrid>
            <Textarea
              label="Request headers"
              description={
                savedHeaders
                  ? `One per line: Name: value. Saved values are never shown again: ${HEADER_VALUE_MASK} keeps a value unless you type a new one, and deleting a line removes the header. A URL moved to another host, port or scheme needs the values typed again.`
                  : 'One per line: Name: value. Values are stored encrypted and not shown again after saving.'
              }
              placeholder="Authorization: Bearer …"
              autosize
              minRows={2}
              {...text('headers')}
              error={under('config.headers')}
            />
            {d.method !== 'GET' && d.method !== 'HEAD' ? (
              <Textarea
                label="Request body"
                autosize
                minRows={2}
                {...text('body')}
                error={fe('config.body')}
              />
            ) : null}
            <Group align="flex-end">
              <Checkbox label="Follow redirects" mb={8} {...flag('followRedirects')} />
              <NumberInput
                label="Maximum redirects"
                min={0}
                max={10}
                w={160}
                disabled={!d.followRedirects}
                {...num('maxRedirects')}
                error={fe('config.maxRedirects')}
              />
            </Group>
            <TlsFields draft={d} set={set} fe={fe} />
          </Stack>
        </Fieldset>
      );
    case 'tcp':
      return (
        <Fieldset legend="TCP target">
          <HostPort draft={d} set={set} fe={fe} />
        </Fieldset>
      );
    case 'tls':
      return (
        <Fieldset legend="TLS target">
          <Stack gap="sm">
            <HostPort draft={d} set={set} fe={fe} />
            <TextInput
              label="Server name (SNI)"
              description="The name the certificate must carry; empty: the host."
              autoComplete="off"
              {...text('servername')}
              error={fe('config.servername')}
            />
            <TlsFields draft={d} set={set} fe={fe} />
          </Stack>
        </Fieldset>
      );
    case 'dns':
      return (
        <Fieldset legend="DNS query">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Domain name"
                placeholder="example.com"
                autoComplete="off"
                required
                {...text('dnsName')}
                error={fe('config.name')}
              />
              <NativeSelect label="Record type" {...text('recordType')} data={[...DNS_TYPES]} />
            </SimpleGrid>
            <Textarea
              label="Expected answers"
              description="One per line (93.184.215.14, 10 mx.example.com); empty: any answer is up."
              autosize
              minRows={2}
              {...text('expected')}
              error={under('config.expected')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect
                label="Answers must"
                {...text('match')}
                data={[
                  { value: 'contains', label: 'include every expected answer' },
                  { value: 'exact', label: 'be exactly the expected answers' },
                ]}
              />
              <TextInput
                label="Nameserver"
                description="An IP address (1.1.1.1); empty: the system resolver."
                autoComplete="off"
                {...text('nameserver')}
                error={fe('config.nameserver')}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
      );
    case 'ping':
      return (
        <Fieldset legend="Ping target">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Host"
              autoComplete="off"
              required
              {...text('host')}
              error={fe('config.host')}
            />
            <NumberInput
              label="Echo requests"
              description="Per run, 1–10."
              min={1}
              max={10}
              {...num('count')}
              error={fe('config.count')}
            />
            <NumberInput
              label="Maximum packet loss (%)"
              min={0}
              max={100}
              {...num('maxLossPercent')}
              error={fe('config.maxLossPercent')}
            />
          </SimpleGrid>
        </Fieldset>
      );
    case 'heartbeat':
      return (
        <Text size="sm" c="dimmed">
          A heartbeat has no target: once it is created you get a URL for your job to call (GET or
          POST) each time it runs, and a /fail URL to report a failure.
        </Text>
      );
  }
}

function HostPort({ draft: d, set, fe }: Omit<KindFieldsProps, 'err'>) {
  const { text, num } = bindDraft(d, set);
  return (
    <Group align="flex-start" grow preventGrowOverflow={false} wrap="nowrap">
      <TextInput
        label="Host"
        placeholder="db.example.com"
        autoComplete="off"
        required
        {...text('host')}
        error={fe('config.host')}
      />
      <NumberInput
        label="Port"
        min={1}
        max={65_535}
        maw={140}
        required
        {...num('port')}
        error={fe('config.port')}
      />
    </Group>
  );
}

function TlsFields({ draft: d, set, fe }: Omit<KindFieldsProps, 'err'>) {
  const { num, flag } = bindDraft(d, set);
  return (
    <Group align="flex-end">
      <NumberInput
        label="Certificate expiry warning (days)"
        description="A warning alert this many days before expiry; 0: off. (https only)"
        min={0}
        max={365}
        w={320}
        {...num('certExpiryDays')}
        error={fe('config.certExpiryDays')}
      />
      <Checkbox label="Refuse invalid certificates" mb={8} {...flag('verifyTls')} />
    </Group>
  );
}

interface CheckFormModalProps extends Omit<CheckFormProps, 'onCancel'> {
  opened: boolean;
  onClose: () => void;
}

/** The form in a modal: "New check" or "Edit check". */
export function CheckFormModal({ opened, onClose, ...props }: CheckFormModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={props.check ? 'Edit check' : 'New check'}
      size="xl"
      closeOnClickOutside={false}
    >
      {opened ? <CheckForm {...props} onCancel={onClose} /> : null}
    </Modal>
  );
}
