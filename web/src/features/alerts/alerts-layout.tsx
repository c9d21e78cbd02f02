import { SectionLayout, type Section } from '../../ui/section-layout';

export const ALERTS_SECTIONS: readonly Section[] = [
  { label: 'All alerts', path: '/alerts', exact: true },
  { label: 'Silences', path: '/alerts/silences' },
  { label: 'Maintenance', path: '/alerts/maintenance' },
  { label: 'Rules', path: '/alerts/rules' },
];

/** Alerts: a heading, the sub-navigation (list, silences, maintenance, rules) and the section. */
export function AlertsLayout() {
  return <SectionLayout title="Alerts" sections={ALERTS_SECTIONS} />;
}
