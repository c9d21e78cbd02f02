import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { useAnnounce } from './announcer';

function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

function isTextField(element: Element | null): boolean {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement ||
    (element instanceof HTMLElement && element.isContentEditable)
  );
}

/**
 * After a submit whose fields came back invalid (client-side validation), focus the first
 * invalid field rather than leaving it on the button, or on <body> when the button was disabled.
 */
export function useFocusInvalidOnSubmit() {
  useEffect(() => {
    const onSubmit = (event: Event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      setTimeout(() => {
        const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
        if (!invalid) return;
        const active = document.activeElement;
        if (focusLost() || (active instanceof HTMLButtonElement && form.contains(active)))
          invalid.focus();
      }, 0);
    };
    document.addEventListener('submit', onSubmit, true);
    return () => document.removeEventListener('submit', onSubmit, true);
  }, []);
}

/**
 * On a route change (not the first page), focus the new page's h1 (or `main`) and announce its
 * title: otherwise a screen reader stays where the clicked link was, or on <body>. Focus is never
 * taken from a text field the user went on to type in.
 */
export function useRouteFocus(mainId: string) {
  const { pathname } = useLocation();
  const announce = useAnnounce();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let tries = 0;
    // The page may still be loading its code or data: wait for its heading (up to 3 s).
    const timer = setInterval(() => {
      tries += 1;
      const main = document.getElementById(mainId);
      const heading = main?.querySelector<HTMLElement>('h1');
      if (!heading && tries < 30) return;
      clearInterval(timer);
      const target = heading ?? main;
      const active = document.activeElement;
      if (!target || isTextField(active) || active?.closest('[role="dialog"]')) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: false });
      announce(heading?.textContent ?? document.title);
    }, 100);
    return () => clearInterval(timer);
  }, [pathname, mainId, announce]);
}
