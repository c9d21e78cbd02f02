import { SectionLayout, type Section } from '../../ui/section-layout';

export const ONCALL_SECTIONS: readonly Section[] = [
  { label: 'Now', path: '/on-call', exact: true },
  { label: 'Schedules', path: '/on-call/schedules' },
  { label: 'Escalation policies', path: '/on-call/policies' },
  { label: 'My shifts', path: '/on-call/my-shifts' },
];

/** On-call: a heading, the sub-navigation and the current section. */
export function OncallLayout() {
  return <SectionLayout title="On-call" sections={ONCALL_SECTIONS} />;
}
