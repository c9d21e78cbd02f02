import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useRemoveOverride, useSchedule, useScheduleShifts } from '../../api/schedules';
import { useTeams } from '../../api/teams';
import type { Restriction, Schedule } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { useNow } from '../../ui/use-now';
import { addDays, formatInZone, formatRangeInZone, startOfDay } from '../../ui/zoned-time';
import { ChoiceRadios } from '../alerts/choice-radios';
import { useTeamAccess } from '../auth/team-access';
import { CoverageGapsWarning } from './coverage-gaps';
import { NoRulesWarning } from './no-rules-warning';
import { OverrideModal } from './override-modal';
import type { OverrideDraft } from './override-modal';
import { WEEKDAY_OPTIONS, describeRotation } from './schedule-drafts';
import { ScheduleFormModal } from './schedule-form-modal';
import { ScheduleTimeline } from './schedule-timeline';
import { nameOf, useUserNames } from './user-names';

type WindowSpan = 'week' | '2weeks' | 'month';

const SPAN_OPTIONS: readonly { value: WindowSpan; label: string }[] = [
  { value: 'week', label: 'Week' },
  { value: '2weeks', label: '2 weeks' },
  { value: 'month', label: 'Month' },
];

const SPAN_DAYS: Record<WindowSpan, number> = { week: 7, '2weeks': 14, month: 30 };

function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={3} id={id}>
            {title}
          </Title>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </div>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {children}
    </Paper>
  );
}

function weekday(day: number): string {
  return WEEKDAY_OPTIONS[day - 1]?.label ?? String(day);
}

function describeRestriction(r: Restriction): string {
  return r.kind === 'daily'
    ? `Every day ${r.start}–${r.end}`
    : `${weekday(r.startDay)} ${r.start} – ${weekday(r.endDay)} ${r.end}`;
}

function LayersTable({
  schedule,
  names,
}: {
  schedule: Schedule;
  names: ReadonlyMap<string, string>;
}) {
  const layers = [...schedule.layers].sort((a, b) => b.position - a.position);
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Layers" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Layer</Table.Th>
            <Table.Th>Position</Table.Th>
            <Table.Th>Rotation</Table.Th>
            <Table.Th>Participants, in order</Table.Th>
            <Table.Th>Starts</Table.Th>
            <Table.Th>Restrictions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {layers.map((layer) => (
            <Table.Tr key={layer.id}>
              <Table.Td fw={500}>{layer.name}</Table.Td>
              <Table.Td>{layer.position}</Table.Td>
              <Table.Td>{describeRotation(layer)}</Table.Td>
              <Table.Td>{layer.participants.map((id) => nameOf(names, id)).join(' → ')}</Table.Td>
              <Table.Td>{layer.startDate}</Table.Td>
              <Table.Td>
                {layer.restrictions.length
                  ? layer.restrictions.map(describeRestriction).join('; ')
                  : 'None'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ScheduleView({ schedule }: { schedule: Schedule }) {
  const access = useTeamAccess(schedule.teamId);
  const teams = useTeams();
  const names = useUserNames([schedule.teamId]);
  const now = useNow(60_000);
  const tz = schedule.timeZone;

  const [span, setSpan] = useState<WindowSpan>('week');
  const [from, setFrom] = useState(() => startOfDay(Date.now(), tz));
  const days = SPAN_DAYS[span];
  const to = addDays(from, days, tz);
  const shifts = useScheduleShifts(schedule.id, from, to);
  const removeOverride = useRemoveOverride(schedule.id);

  const [editOpened, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const [overrideDraft, setOverrideDraft] = useState<OverrideDraft | null>(null);
  const [saved, setSaved] = useState(false);

  const teamName = teams.data?.find((t) => t.id === schedule.teamId)?.name;
  const overrides = [...(shifts.data?.overrides ?? [])].sort((a, b) => a.start - b.start);
  const spanLabel = SPAN_OPTIONS.find((o) => o.value === span)?.label.toLowerCase() ?? span;

  return (
    <Stack gap="lg" mt="sm">
      <PageHeader
        order={2}
        title={schedule.name}
        description={`${teamName ?? 'Team'} · ${tz}`}
        actions={access.canAdmin ? <Button onClick={openEdit}>Edit schedule</Button> : null}
      />
      {saved ? <SuccessNote onClose={() => setSaved(false)}>Schedule saved.</SuccessNote> : null}
      <CoverageGapsWarning gaps={schedule.gaps} timeZone={tz} />
      <NoRulesWarning people={schedule.noHighUrgencyRules} />

      <Section
        id="schedule-timeline-heading"
        title="Timeline"
        description={
          access.canRespond
            ? `Times in ${tz}. Click a bar of the final row to override that shift.`
            : `Times in ${tz}.`
        }
      >
        <Group justify="space-between" align="flex-end" mb="md">
          <ChoiceRadios label="Window" options={SPAN_OPTIONS} value={span} onChange={setSpan} />
          <Group gap="xs" align="center">
            <Button
              variant="default"
              size="xs"
              aria-label={`Previous ${spanLabel}`}
              onClick={() => setFrom(addDays(from, -days, tz))}
            >
              ← Previous
            </Button>
            <Button variant="default" size="xs" onClick={() => setFrom(startOfDay(Date.now(), tz))}>
              Today
            </Button>
            <Button
              variant="default"
              size="xs"
              aria-label={`Next ${spanLabel}`}
              onClick={() => setFrom(addDays(from, days, tz))}
            >
              Next →
            </Button>
          </Group>
        </Group>
        <Text size="sm" mb="sm" aria-live="polite">
          {formatInZone(from, tz)} – {formatInZone(to, tz)}
        </Text>
        <ApiErrorAlert error={shifts.error} title="Could not load the shifts" />
        {shifts.isPending ? <LoadingBlock label="Loading shifts" /> : null}
        {shifts.data ? (
          <ScheduleTimeline
            shifts={shifts.data}
            from={from}
            to={to}
            now={now}
            timeZone={tz}
            names={names}
            onFinalShiftClick={
              access.canRespond
                ? (shift) =>
                    setOverrideDraft({ userId: shift.userId, start: shift.start, end: shift.end })
                : undefined
            }
          />
        ) : null}
      </Section>

      <Section
        id="schedule-overrides-heading"
        title="Overrides"
        description="Overrides touching the window shown above. The newest wins where they overlap."
        actions={
          access.canRespond ? (
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                const start = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
                setOverrideDraft({ start, end: start + 8 * 3_600_000 });
              }}
            >
              New override
            </Button>
          ) : null
        }
      >
        <ApiErrorAlert
          error={removeOverride.error}
          title="Could not remove the override"
          onClose={() => removeOverride.reset()}
        />
        {overrides.length === 0 ? (
          <Text c="dimmed" size="sm">
            No overrides in this window.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Overrides" verticalSpacing="xs">
              <TableHead
                columns={['On call', `When (${tz})`, 'Created by']}
                actions={access.canRespond}
              />
              <Table.Tbody>
                {overrides.map((o) => {
                  const name = nameOf(names, o.userId);
                  const range = formatRangeInZone(o.start, o.end, tz);
                  return (
                    <Table.Tr key={o.id}>
                      <Table.Td fw={500}>{name}</Table.Td>
                      <Table.Td>{range}</Table.Td>
                      <Table.Td>{o.createdBy}</Table.Td>
                      {access.canRespond ? (
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            aria-label={`Remove override: ${name}, ${range}`}
                            loading={removeOverride.isPending && removeOverride.variables === o.id}
                            onClick={() => removeOverride.mutate(o.id)}
                          >
                            Remove override
                          </Button>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section
        id="schedule-layers-heading"
        title="Layers"
        description="Where several layers have someone, the highest position wins."
      >
        <LayersTable schedule={schedule} names={names} />
      </Section>

      <OverrideModal
        scheduleId={schedule.id}
        teamId={schedule.teamId}
        timeZone={tz}
        initial={overrideDraft}
        onClose={() => setOverrideDraft(null)}
      />
      {access.canAdmin ? (
        <ScheduleFormModal
          schedule={schedule}
          opened={editOpened}
          onClose={closeEdit}
          onSaved={() => {
            closeEdit();
            setSaved(true);
          }}
        />
      ) : null}
    </Stack>
  );
}

/** /on-call/schedules/:scheduleId: the timeline, overrides and layers of one schedule. */
export function SchedulePage() {
  const { scheduleId = '' } = useParams();
  const schedule = useSchedule(scheduleId);
  return (
    <>
      <Anchor component={Link} to="/on-call/schedules" size="sm">
        ← All schedules
      </Anchor>
      {schedule.isPending ? <LoadingBlock label="Loading schedule" /> : null}
      {schedule.error && !schedule.data ? (
        <Stack mt="md">
          <PageHeader order={2} title="Schedule" />
          <ApiErrorAlert error={schedule.error} title="Could not load the schedule" />
        </Stack>
      ) : null}
      {schedule.data ? <ScheduleView schedule={schedule.data} /> : null}
    </>
  );
}
