import { Button, Group, Title } from '@mantine/core';
import { Link, Outlet, useLocation } from 'react-router';
import { isActivePath } from '../layout/nav-items';

interface OncallSection {
  label: string;
  path: string;
  /** Active only on this exact path (the area's front page). */
  exact?: boolean;
}

export const ONCALL_SECTIONS: readonly OncallSection[] = [
  { label: 'Now', path: '/on-call', exact: true },
  { label: 'Schedules', path: '/on-call/schedules' },
  { label: 'Escalation policies', path: '/on-call/policies' },
  { label: 'My shifts', path: '/on-call/my-shifts' },
];

/** On-call: a heading, the sub-navigation and the current section. */
export function OncallLayout() {
  const { pathname } = useLocation();
  return (
    <>
      <Title order={1} mb="md">
        On-call
      </Title>
      <Group
        component="nav"
        aria-label="On-call sections"
        gap="xs"
        mb="xl"
        pb="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        {ONCALL_SECTIONS.map((section) => {
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
