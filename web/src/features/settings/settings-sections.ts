export interface SettingsSection {
  label: string;
  path: string;
  orgAdminOnly: boolean;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { label: 'Profile & security', path: '/settings/profile', orgAdminOnly: false },
  { label: 'Notifications', path: '/settings/notifications', orgAdminOnly: false },
  { label: 'Users', path: '/settings/users', orgAdminOnly: true },
  { label: 'Teams', path: '/settings/teams', orgAdminOnly: false },
  { label: 'Notifiers', path: '/settings/notifiers', orgAdminOnly: true },
  { label: 'Deliveries', path: '/settings/deliveries', orgAdminOnly: true },
  { label: 'Incident response', path: '/settings/incident-response', orgAdminOnly: true },
  { label: 'Postmortems', path: '/settings/postmortems', orgAdminOnly: true },
  { label: 'Audit log', path: '/settings/audit', orgAdminOnly: true },
];
