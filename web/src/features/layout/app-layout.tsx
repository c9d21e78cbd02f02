import { Anchor, AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Link, Outlet, useLocation } from 'react-router';
import { TocsinLogo } from '../../ui/tocsin-logo';
import { useCurrentUser } from '../auth/current-user';
import { useSignOut } from '../auth/use-sign-out';
import { NotifierOutageBanner } from '../notifications/notifier-outage-banner';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { NAV_ITEMS, isActivePath } from './nav-items';

/** The signed-in shell: header, navigation and the current page. */
export function AppLayout() {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { pathname } = useLocation();
  const { user } = useCurrentUser();
  const { signOut, isPending: signingOut } = useSignOut();
  // Below the `sm` breakpoint (48em) the menu slides out of view when closed: it must then be
  // out of the keyboard's and screen readers' way too, not nine invisible tab stops.
  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={navOpened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to="/" underline="never" c="inherit" aria-label="Tocsin home">
              <Group gap={8} wrap="nowrap">
                <TocsinLogo />
                <Text fw={700} size="xl" component="span">
                  Tocsin
                </Text>
              </Group>
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ColorSchemeToggle />
            <Text size="sm" fw={500} visibleFrom="xs" title={user.email}>
              {user.name}
            </Text>
            <Button variant="default" size="sm" onClick={signOut} loading={signingOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        p="xs"
        component="nav"
        aria-label="Main"
        id="main-navigation"
        inert={narrow && !navOpened}
      >
        {NAV_ITEMS.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={isActivePath(pathname, item.to)}
            aria-current={isActivePath(pathname, item.to) ? 'page' : undefined}
            onClick={closeNav}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <NotifierOutageBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
