import { useLocalStorage } from '@mantine/hooks';
import { useEffect, useEffectEvent } from 'react';
import { useAnnounce } from '../../ui/announcer';

/** Where the "keyboard shortcuts" setting of the profile page is kept (this browser only). */
export const SHORTCUTS_SETTING_KEY = 'tocsin-keyboard-shortcuts';

/** The keyboard shortcuts setting: on unless turned off on the profile page. */
export function useShortcutsSetting() {
  return useLocalStorage<boolean>({
    key: SHORTCUTS_SETTING_KEY,
    defaultValue: true,
    getInitialValueInEffect: false,
  });
}

const INTERACTIVE = [
  'a[href]',
  'button',
  'input',
  'select',
  'textarea',
  'summary',
  'label',
  '[contenteditable]:not([contenteditable="false"])',
  '[tabindex]:not([tabindex="-1"])',
  '[role="button"]',
  '[role="link"]',
  '[role="checkbox"]',
  '[role="radio"]',
  '[role="switch"]',
  '[role="tab"]',
  '[role="option"]',
  '[role="combobox"]',
  '[role="textbox"]',
  '[role="searchbox"]',
  '[role="slider"]',
  '[role="spinbutton"]',
  '[role="menuitem"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="menu"]',
  '[role="listbox"]',
].join(', ');

/**
 * True when a key press belongs to something else: focus on any interactive element (a button
 * or link takes its own keys; `a` on a focused button must not acknowledge), in a field, a
 * dialog or a menu, or a dialog or menu open anywhere.
 */
function belongsElsewhere(event: KeyboardEvent): boolean {
  const target = event.target;
  if (target instanceof HTMLElement) {
    if (target.isContentEditable) return true;
    if (target.closest(INTERACTIVE) !== null) return true;
  }
  return document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]') !== null;
}

/** A single-key shortcut: what it does, and the question to confirm it with, if any. */
export interface Shortcut {
  run: () => void;
  /** Asked with the browser's confirm dialog first (for what cannot be undone). */
  confirm?: string;
  /** Announced when the confirmation is declined. */
  cancelled?: string;
}

/**
 * Single-key shortcuts for a page (`a`, `m`, `r`) — WCAG 2.1.4: plain key presses only, and
 * only when focus is on nothing interactive (the page itself, a heading, a status region); a
 * shortcut may ask for confirmation, and all of them can be turned off on the profile page.
 */
export function useShortcuts(shortcuts: Readonly<Record<string, Shortcut | (() => void)>>) {
  const [enabled] = useShortcutsSetting();
  const announce = useAnnounce();
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (!enabled) return;
    if (event.defaultPrevented || event.repeat) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (belongsElsewhere(event)) return;
    const entry = shortcuts[event.key.toLowerCase()];
    if (!entry) return;
    event.preventDefault();
    const shortcut = typeof entry === 'function' ? { run: entry } : entry;
    if (shortcut.confirm && !window.confirm(shortcut.confirm)) {
      announce(shortcut.cancelled ?? 'Cancelled.');
      return;
    }
    shortcut.run();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
