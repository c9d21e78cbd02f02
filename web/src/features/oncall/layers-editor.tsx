import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { ROTATION_KINDS } from '../../api/types';
import type { RotationKind } from '../../api/types';
import { fieldError, fieldErrorUnder } from '../../ui/api-error-alert';
import { RemoveIcon } from './icons';
import { OrderedPeopleInput } from './ordered-people-input';
import {
  ROTATION_LABELS,
  WEEKDAY_OPTIONS,
  newLayerDraft,
  newRestrictionDraft,
} from './schedule-drafts';
import type { LayerDraft, RestrictionDraft } from './schedule-drafts';

const ROTATION_OPTIONS = ROTATION_KINDS.map((k) => ({ value: k, label: ROTATION_LABELS[k] }));
const UNIT_OPTIONS = [
  { value: 'hours', label: 'Hours' },
  { value: 'days', label: 'Days' },
];

function isRotationKind(value: string): value is RotationKind {
  return (ROTATION_KINDS as readonly string[]).includes(value);
}

/** Fields of a layer that have their own input, for errors; anything else shows under the layer. */
const LAYER_FIELDS = [
  'name',
  'position',
  'participants',
  'rotation.length',
  'rotation.unit',
  'rotation.handoffTime',
  'startDate',
];

interface RestrictionsEditorProps {
  restrictions: readonly RestrictionDraft[];
  onChange: (restrictions: RestrictionDraft[]) => void;
}

function RestrictionsEditor({ restrictions, onChange }: RestrictionsEditorProps) {
  const update = (key: number, patch: Partial<RestrictionDraft>) =>
    onChange(restrictions.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Restrictions
      </Text>
      {restrictions.length === 0 ? (
        <Text size="xs" c="dimmed">
          None: the layer is on call around the clock. Restrict it to hours of the day or a span of
          the week (in the schedule&apos;s time zone) for follow-the-sun or business hours.
        </Text>
      ) : null}
      {restrictions.map((r, i) => {
        const n = `Restriction ${i + 1}`;
        return (
          <Group key={r.key} align="flex-end" gap="xs" wrap="wrap">
            <Text size="sm" w={110} pb={8}>
              {r.kind === 'daily' ? 'Every day' : 'Each week'}
            </Text>
            {r.kind === 'weekly' ? (
              <NativeSelect
                label="Start day"
                aria-label={`${n} start day`}
                data={WEEKDAY_OPTIONS}
                value={String(r.startDay)}
                onChange={(e) => update(r.key, { startDay: Number(e.currentTarget.value) })}
              />
            ) : null}
            <TextInput
              label="Start time"
              aria-label={`${n} start time`}
              type="time"
              w={120}
              value={r.start}
              onChange={(e) => update(r.key, { start: e.currentTarget.value })}
            />
            {r.kind === 'weekly' ? (
              <NativeSelect
                label="End day"
                aria-label={`${n} end day`}
                data={WEEKDAY_OPTIONS}
                value={String(r.endDay)}
                onChange={(e) => update(r.key, { endDay: Number(e.currentTarget.value) })}
              />
            ) : null}
            <TextInput
              label="End time"
              aria-label={`${n} end time`}
              type="time"
              w={120}
              value={r.end}
              onChange={(e) => update(r.key, { end: e.currentTarget.value })}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove restriction ${i + 1}`}
              title="Remove"
              onClick={() => onChange(restrictions.filter((x) => x.key !== r.key))}
            >
              <RemoveIcon />
            </ActionIcon>
          </Group>
        );
      })}
      <Group gap="xs">
        <Button
          variant="subtle"
          size="xs"
          onClick={() => onChange([...restrictions, newRestrictionDraft('daily')])}
        >
          Add time-of-day restriction
        </Button>
        <Button
          variant="subtle"
          size="xs"
          onClick={() => onChange([...restrictions, newRestrictionDraft('weekly')])}
        >
          Add weekly restriction
        </Button>
      </Group>
    </Stack>
  );
}

interface LayersEditorProps {
  layers: readonly LayerDraft[];
  onChange: (layers: LayerDraft[]) => void;
  /** The team's members, who can be participants. */
  memberOptions: readonly { value: string; label: string }[];
  /** Start date of a new layer (today in the schedule's zone). */
  defaultStartDate: string;
  /** The last error of the request that sent the layers. */
  error: unknown;
}

/** A schedule's layers: each a rotation of people, with optional restrictions. */
export function LayersEditor({
  layers,
  onChange,
  memberOptions,
  defaultStartDate,
  error,
}: LayersEditorProps) {
  const update = (key: number, patch: Partial<LayerDraft>) =>
    onChange(layers.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const listError = fieldError(error, 'layers');

  return (
    <Stack gap="md">
      {layers.map((layer, i) => {
        const at = (field: string) => fieldError(error, `layers.${i}.${field}`);
        const other = LAYER_FIELDS.some((f) => at(f))
          ? undefined
          : fieldErrorUnder(error, `layers.${i}`);
        return (
          <Fieldset key={layer.key} legend={`Layer ${i + 1}`}>
            <Stack gap="sm">
              <Group align="flex-start" grow>
                <TextInput
                  label="Layer name"
                  autoComplete="off"
                  value={layer.name}
                  onChange={(e) => update(layer.key, { name: e.currentTarget.value })}
                  error={at('name')}
                />
                <NumberInput
                  label="Position"
                  description="Higher positions override lower ones."
                  min={0}
                  max={100}
                  allowDecimal={false}
                  value={layer.position}
                  onChange={(value) => update(layer.key, { position: value })}
                  error={at('position')}
                />
              </Group>
              <OrderedPeopleInput
                label="Participants"
                description="In rotation order: the first is on call from the start date's handoff."
                options={memberOptions}
                value={layer.participants}
                onChange={(participants) => update(layer.key, { participants })}
                error={at('participants')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <NativeSelect
                  label="Rotation"
                  data={ROTATION_OPTIONS}
                  value={layer.kind}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    if (isRotationKind(value)) update(layer.key, { kind: value });
                  }}
                />
                <TextInput
                  label="Handoff time"
                  description="Local time in the schedule's zone."
                  type="time"
                  value={layer.handoffTime}
                  onChange={(e) => update(layer.key, { handoffTime: e.currentTarget.value })}
                  error={at('rotation.handoffTime')}
                />
                {layer.kind === 'custom' ? (
                  <>
                    <NumberInput
                      label="Rotation length"
                      min={1}
                      max={365}
                      allowDecimal={false}
                      value={layer.length}
                      onChange={(value) => update(layer.key, { length: value })}
                      error={at('rotation.length')}
                    />
                    <NativeSelect
                      label="Rotation unit"
                      data={UNIT_OPTIONS}
                      value={layer.unit}
                      onChange={(e) =>
                        update(layer.key, {
                          unit: e.currentTarget.value === 'hours' ? 'hours' : 'days',
                        })
                      }
                      error={at('rotation.unit')}
                    />
                  </>
                ) : null}
                <TextInput
                  label="Start date"
                  description="The first handoff happens on this day."
                  type="date"
                  value={layer.startDate}
                  onChange={(e) => update(layer.key, { startDate: e.currentTarget.value })}
                  error={at('startDate')}
                />
              </SimpleGrid>
              <RestrictionsEditor
                restrictions={layer.restrictions}
                onChange={(restrictions) => update(layer.key, { restrictions })}
              />
              {other ? (
                <Text size="sm" c="red" role="alert">
                  {other}
                </Text>
              ) : null}
              {layers.length > 1 ? (
                <Group justify="flex-end">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() => onChange(layers.filter((l) => l.key !== layer.key))}
                  >
                    Remove layer {i + 1}
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Fieldset>
        );
      })}
      {listError ? (
        <Text size="sm" c="red" role="alert">
          {listError}
        </Text>
      ) : null}
      <Group>
        <Button
          variant="light"
          size="xs"
          onClick={() => onChange([...layers, newLayerDraft(layers.length, defaultStartDate)])}
        >
          Add layer
        </Button>
      </Group>
    </Stack>
  );
}
