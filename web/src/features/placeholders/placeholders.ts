export interface Placeholder {
  path: string;
  title: string;
  description: string;
}

/** Areas whose screens are not built yet: each still gets a real page saying what will be there. */
export const PLACEHOLDERS: readonly Placeholder[] = [
  {
    path: '/status-pages',
    title: 'Status pages',
    description:
      'Public and internal status pages will be configured here: which services they show and the incident updates they publish.',
  },
  {
    path: '/postmortems',
    title: 'Postmortems',
    description:
      'Postmortems written after incidents will be kept here, with their timeline, contributing factors and follow-up actions.',
  },
  {
    path: '/reports',
    title: 'Reports',
    description:
      'Reports on incident counts, time to acknowledge, time to resolve and on-call load will be shown here.',
  },
];
