import { Button, Group, Title } from '@mantine/core';
import { Link, Outlet, useLocation } from 'react-router';
import { isActivePath } from '../features/layout/nav-items';

/** One entry of an area's sub-navigation. */
export interface Section {
  label: string;
  path: string;
  /** Active only on this exact path (an area's front page, whose detail pages are not sections). */
  exact?: boolean;
}

/**
 * An area with sub-pages (Alerts, On-call, Settings): its heading, a sub-navigation named
 * "<title> sections", and the current section below.
 */
export function SectionLayout({
  title,
  sections,
}: {
  title: string;
  sections: readonly Section[];
}) {
  const { pathname } = useLocation();
  return (
    <>
      <Title order={1} mb="md">
        {title}
      </Title>
      <Group
        component="nav"
        aria-label={`${title} sections`}
        gap="xs"
        mb="xl"
        pb="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        {sections.map((section) => {
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
