import { VisuallyHidden } from '@mantine/core';
import { createContext, use, useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnounceContext = createContext<Announce>(() => {});

/**
 * One polite live region for the whole app (`role="status"`, visually hidden): what an action
 * did, what arrived live, which page opened. Messages announced together are read together.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState({ text: '', id: 0 });
  const pending = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const announce = useCallback<Announce>((text) => {
    if (!text) return;
    pending.current.push(text);
    clearTimeout(timer.current);
    // A short pause gathers what happens at once, and lets an unchanged text be read again.
    timer.current = setTimeout(() => {
      const joined = pending.current.join('. ');
      pending.current = [];
      setMessage((m) => ({ text: joined, id: m.id + 1 }));
    }, 150);
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <AnnounceContext value={announce}>
      {children}
      <VisuallyHidden role="status" aria-live="polite" aria-atomic="true" id="app-announcer">
        <span key={message.id}>{message.text}</span>
      </VisuallyHidden>
    </AnnounceContext>
  );
}

/** Announces a message to screen readers through the app's live region. */
export function useAnnounce(): Announce {
  return use(AnnounceContext);
}

/**
 * Announces items that appear in a list after it first loaded (live updates): "New incident
 * #5: DB down". Nothing is announced for the first load or when the list is filtered anew.
 */
export function useAnnounceNew<T>(
  items: readonly T[] | undefined,
  idOf: (item: T) => string,
  describe: (item: T) => string,
  /** The list's filters: a new value starts over (what a new filter shows is not new). */
  scope = '',
) {
  const announce = useAnnounce();
  const seen = useRef<{ scope: string; ids: Set<string> } | null>(null);
  useEffect(() => {
    if (!items) return;
    const ids = new Set(items.map(idOf));
    const before = seen.current;
    seen.current = { scope, ids: before?.scope === scope ? new Set([...before.ids, ...ids]) : ids };
    if (!before || before.scope !== scope) return;
    const fresh = items.filter((item) => !before.ids.has(idOf(item)));
    // A list that came back whole (a reload) is not news; a few new ones are.
    if (fresh.length === 0 || fresh.length > 5) return;
    for (const item of fresh) announce(describe(item));
    // idOf and describe are plain functions of the item: only the data matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, scope, announce]);
}
