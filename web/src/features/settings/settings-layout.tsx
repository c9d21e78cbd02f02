import { Button, Group, Title } from '@mantine/core';
import { Link, Outlet, useLocation } from 'react-router';
import { useCurrentUser } from '../auth/current-user';
import { isActivePath } from '../layout/nav-items';
import { SETTINGS_SECTIONS } from './settings-sections';

/** Settings: a heading, the sub-navigation and the current section. */
export function SettingsLayout() {
  const { user } = useCurrentUser();
  const { pathname } = useLocation();
  const sections = SETTINGS_SECTIONS.filter((s) => user.isOrgAdmin || !s.orgAdminOnly);
  return (
    <>
      <Title order={1} mb="md">
        Settings
      </Title>
      <Group
        component="nav"
        aria-label="Settings sections"
        gap="xs"
        mb="xl"
        pb="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        {sections.map((section) => {
          const active = isActivePath(pathname, section.path);
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
