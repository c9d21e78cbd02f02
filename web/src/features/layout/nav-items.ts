export interface NavItem {
  label: string;
  to: string;
}

/** The main navigation; every entry has a route in app.tsx. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Incidents', to: '/incidents' },
  { label: 'Alerts', to: '/alerts' },
  { label: 'Services', to: '/services' },
  { label: 'Checks', to: '/checks' },
  { label: 'On-call', to: '/on-call' },
  { label: 'Status pages', to: '/status-pages' },
  { label: 'Postmortems', to: '/postmortems' },
  { label: 'Reports', to: '/reports' },
  { label: 'Settings', to: '/settings' },
];

/** True when `pathname` is `to` or below it. */
export function isActivePath(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}
