/** Why someone was paged (`reason` of a page or an in-app notification), for people. */
export const PAGE_REASON_LABELS: Record<string, string> = {
  escalation: 'Escalation',
  responder: 'Asked to help',
  reassigned: 'Reassigned',
  commander: 'Made incident commander',
  'update-reminder': 'Stakeholder update due',
  'low-urgency': 'Low urgency (on call at level 1)',
};
