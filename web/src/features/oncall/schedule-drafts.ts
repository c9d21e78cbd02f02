import type {
  LayerInput,
  Restriction,
  RotationKind,
  RotationUnit,
  Schedule,
} from '../../api/types';

/*
 * The schedule form's state: layers and restrictions as the inputs hold them (numbers may be
 * half-typed), each with a `key` that identifies it across edits, and the conversions to and
 * from what the API takes.
 */

export interface RestrictionDraft {
  key: number;
  kind: 'daily' | 'weekly';
  startDay: number;
  start: string;
  endDay: number;
  end: string;
}

export interface LayerDraft {
  key: number;
  /** Kept on edit, so the server knows the layer. */
  id?: string;
  name: string;
  position: number | string;
  /** User ids in rotation order. */
  participants: string[];
  kind: RotationKind;
  length: number | string;
  unit: RotationUnit;
  handoffTime: string;
  startDate: string;
  restrictions: RestrictionDraft[];
}

let nextKey = 1;

export function newRestrictionDraft(kind: RestrictionDraft['kind']): RestrictionDraft {
  return kind === 'daily'
    ? { key: nextKey++, kind, startDay: 1, start: '09:00', endDay: 1, end: '17:00' }
    : { key: nextKey++, kind, startDay: 1, start: '09:00', endDay: 5, end: '17:00' };
}

export function newLayerDraft(index: number, startDate: string): LayerDraft {
  return {
    key: nextKey++,
    name: `Layer ${index + 1}`,
    position: index,
    participants: [],
    kind: 'weekly',
    length: 1,
    unit: 'days',
    handoffTime: '09:00',
    startDate,
    restrictions: [],
  };
}

function restrictionDraft(r: Restriction): RestrictionDraft {
  return r.kind === 'daily'
    ? { key: nextKey++, kind: 'daily', startDay: 1, start: r.start, endDay: 1, end: r.end }
    : { key: nextKey++, ...r };
}

/** The drafts of a saved schedule's layers, lowest position first. */
export function layerDraftsOf(schedule: Schedule): LayerDraft[] {
  return [...schedule.layers]
    .sort((a, b) => a.position - b.position)
    .map((layer) => ({
      key: nextKey++,
      id: layer.id,
      name: layer.name,
      position: layer.position,
      participants: layer.participants,
      kind: layer.rotation.kind,
      length: layer.rotation.length ?? 1,
      unit: layer.rotation.unit ?? 'days',
      handoffTime: layer.rotation.handoffTime,
      startDate: layer.startDate,
      restrictions: layer.restrictions.map(restrictionDraft),
    }));
}

function toRestriction(r: RestrictionDraft): Restriction {
  return r.kind === 'daily'
    ? { kind: 'daily', start: r.start, end: r.end }
    : { kind: 'weekly', startDay: r.startDay, start: r.start, endDay: r.endDay, end: r.end };
}

/** A number input's value as a number; NaN (refused by the server, with a message) if empty. */
function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
}

/** What the API takes, in the form's order (so that `layers.1.name` errors land on layer 2). */
export function toLayerInputs(drafts: readonly LayerDraft[]): LayerInput[] {
  return drafts.map((d) => ({
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    position: toNumber(d.position),
    participants: d.participants,
    rotation: {
      kind: d.kind,
      handoffTime: d.handoffTime,
      ...(d.kind === 'custom' ? { length: toNumber(d.length), unit: d.unit } : {}),
    },
    startDate: d.startDate,
    restrictions: d.restrictions.map(toRestriction),
  }));
}

export const ROTATION_LABELS: Record<RotationKind, string> = {
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  custom: 'Custom',
};

/** ISO weekdays, 1 = Monday. */
export const WEEKDAY_OPTIONS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
].map((label, i) => ({ value: String(i + 1), label }));

/** "Weekly, handoff 09:00" */
export function describeRotation(layer: LayerInput): string {
  const { rotation } = layer;
  const kind =
    rotation.kind === 'custom'
      ? `Every ${rotation.length ?? '?'} ${rotation.unit ?? 'days'}`
      : ROTATION_LABELS[rotation.kind];
  return `${kind}, handoff ${rotation.handoffTime}`;
}
