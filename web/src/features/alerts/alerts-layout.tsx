import { Button, Group, Title } from '@mantine/core';
import { Link, Outlet, useLocation } from 'react-router';
import { isActivePath } from '../layout/nav-items';

interface AlertsSection {
  label: string;
  path: string;
  /** Active only on this exact path (the list, whose detail pages are not sections). */
  exact?: boolean;
}

export const ALERTS_SECTIONS: readonly AlertsSection[] = [
  { label: 'All alerts', path: '/alerts', exact: true },
  { label: 'Silences', path: '/alerts/silences' },
  { label: 'Maintenance', path: '/alerts/maintenance' },
  { label: 'Rules', path: '/alerts/rules' },
];

/** Alerts: a heading, the sub-navigation (list, silences, maintenance, rules) and the section. */
export function AlertsLayout() {
  const { pathname } = useLocation();
  return (
    <>
      <Title order={1} mb="md">
        Alerts
      </Title>
      <Group
        component="nav"
        aria-label="Alerts sections"
        gap="xs"
        mb="xl"
        pb="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        {ALERTS_SECTIONS.map((section) => {
          const active = section.exact
            ? pathname === section.path
            : isActivePath(pathname, section.path);
          return (
            <Button
              key={section.path}
              component={Link}
              to={section.path}
              variant={active ? 'light' : 'subtle'}
              color={active ? undefined : 'gray'}
              aria-current={active ? 'page' : undefined}
            >
              {section.label}
            </Button>
          );
        })}
      </Group>
      <Outlet />
    </>
  );
}
