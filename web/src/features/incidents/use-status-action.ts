import type { UseMutationResult } from '@tanstack/react-query';
import type { Incident, IncidentDetail, IncidentStatusChange } from '../../api/types';
import { useAnnounce } from '../../ui/announcer';
import type { Shortcut } from './use-shortcuts';

/** The id of the incident page's status group, where focus goes after a status change. */
export const INCIDENT_STATUS_ID = 'incident-status';

const DONE: Record<IncidentStatusChange, string> = {
  acknowledged: 'acknowledged',
  mitigated: 'marked mitigated',
  resolved: 'resolved',
};

interface StatusAction {
  status: IncidentStatusChange;
  label: string;
  shortcut: string;
}

/**
 * Moves focus to the incident's status when the button that had it went away (or was disabled
 * while the request ran): without this, focus falls back to the page's <body>.
 */
export function focusIncidentStatus() {
  // After React has rendered the new status.
  setTimeout(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected;
    if (!lost) return;
    document.getElementById(INCIDENT_STATUS_ID)?.focus();
  }, 50);
}

/**
 * A status change from a button or a shortcut: announced when done ("Incident #5
 * acknowledged"), focus kept on the page; resolving by shortcut asks first.
 */
export function useStatusAction(
  incident: Pick<IncidentDetail, 'number' | 'title'>,
  setStatus: UseMutationResult<Incident, Error, IncidentStatusChange>,
) {
  const announce = useAnnounce();
  const run = (action: StatusAction, via: 'button' | 'shortcut') => {
    if (setStatus.isPending) return;
    setStatus.mutate(action.status, {
      onSuccess: () => {
        const how = via === 'shortcut' ? ` (shortcut ${action.shortcut.toUpperCase()})` : '';
        announce(`Incident #${incident.number} ${DONE[action.status]}${how}.`);
        focusIncidentStatus();
      },
      onError: () => focusIncidentStatus(),
    });
  };
  const shortcut = (action: StatusAction): Shortcut => ({
    run: () => run(action, 'shortcut'),
    confirm:
      action.status === 'resolved'
        ? `Resolve incident #${incident.number} “${incident.title}”?`
        : undefined,
    cancelled: action.status === 'resolved' ? 'Not resolved.' : undefined,
  });
  return { run, shortcut };
}
