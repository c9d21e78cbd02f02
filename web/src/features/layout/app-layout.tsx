import { Anchor, AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useFocusInvalidOnSubmit, useRouteFocus } from '../../ui/focus';
import { TocsinLogo } from '../../ui/tocsin-logo';
import { useCurrentUser } from '../auth/current-user';
import { useSignOut } from '../auth/use-sign-out';
import { NotifierOutageBanner } from '../notifications/notifier-outage-banner';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { NAV_ITEMS, isActivePath } from './nav-items';

const MAIN_ID = 'main-content';

/** The signed-in shell: header, navigation and the current page. */
export function AppLayout() {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { pathname } = useLocation();
  const { user } = useCurrentUser();
  const { signOut, isPending: signingOut } = useSignOut();
  // Below the `sm` breakpoint (48em) the menu slides out of view when closed: it must then be
  // out of the keyboard's and screen readers' way too, not nine invisible tab stops.
  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  // Open over the page on a narrow screen, the menu is modal: the rest is inert, Escape closes.
  const menuOver = narrow && navOpened;
  const burgerRef = useRef<HTMLButtonElement>(null);
  useRouteFocus(MAIN_ID);
  useFocusInvalidOnSubmit();

  useEffect(() => {
    if (!menuOver) return;
    // Into the menu: the current page's link, or the first.
    const nav = document.getElementById('main-navigation');
    const links = nav?.querySelectorAll<HTMLElement>('a');
    const current = nav?.querySelector<HTMLElement>('a[aria-current="page"]');
    (current ?? links?.[0])?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      closeNav();
      burgerRef.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOver, closeNav]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <a href={`#${MAIN_ID}`} className="tocsin-skip-link">
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              ref={burgerRef}
              opened={navOpened}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={navOpened}
              aria-controls="main-navigation"
            />
            <Anchor
              component={Link}
              to="/"
              underline="never"
              c="inherit"
              aria-label="Tocsin home"
              inert={menuOver}
            >
              <Group gap={8} wrap="nowrap">
                <TocsinLogo />
                <Text fw={700} size="xl" component="span">
                  Tocsin
                </Text>
              </Group>
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap" inert={menuOver}>
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

      <AppShell.Main id={MAIN_ID} tabIndex={-1} inert={menuOver}>
        <NotifierOutageBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
