/** Duration presets of the silence and maintenance forms, plus "pick an end time". */
export const DURATION_PRESETS = [
  { value: '1h', label: '1h', ms: 3_600_000 },
  { value: '2h', label: '2h', ms: 2 * 3_600_000 },
  { value: '4h', label: '4h', ms: 4 * 3_600_000 },
  { value: '1d', label: '1d', ms: 24 * 3_600_000 },
] as const;

export type DurationChoice = (typeof DURATION_PRESETS)[number]['value'] | 'custom';

export const DURATION_OPTIONS: { value: DurationChoice; label: string }[] = [
  ...DURATION_PRESETS.map((p) => ({ value: p.value, label: p.label })),
  { value: 'custom', label: 'End time' },
];

export function isDurationChoice(value: string): value is DurationChoice {
  return DURATION_OPTIONS.some((o) => o.value === value);
}

/** The length of a preset in ms (null for "custom"). */
export function presetMs(choice: DurationChoice): number | null {
  return DURATION_PRESETS.find((p) => p.value === choice)?.ms ?? null;
}
