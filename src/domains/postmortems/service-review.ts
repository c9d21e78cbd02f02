import type { Row } from '../../db/index.js';

/** A new service is reviewed six weeks after it was added (the seeds say 6–8 weeks). */
export const BURN_IN_MS = 42 * 86_400_000;
/** Services added longer ago than this when reviews arrived get no burn-in review, only periodic ones. */
export const BURN_IN_WINDOW_MS = 2 * BURN_IN_MS;
/** Default interval between periodic reviews. */
export const DEFAULT_REVIEW_INTERVAL_DAYS = 90;
/** While a review is open past its due date, its team's admins are reminded this often. */
export const REVIEW_REMINDER_MS = 7 * 86_400_000;

export const burnInChecklist = [
  'Alert thresholds are right (no noise, nothing missed)',
  'Metrics and logs are complete',
  'Runbook is linked',
  'On-call and escalation are set',
] as const;

export const periodicChecklist = [
  'Alerts of the period were actionable',
  'Runbook is current',
  'Dependencies and owners are up to date',
  'On-call and escalation are right',
] as const;

export type ServiceReviewKind = 'burn_in' | 'periodic';

export interface ServiceReview {
  id: string;
  serviceId: string;
  serviceName: string;
  teamId: string;
  kind: ServiceReviewKind;
  dueAt: number;
  status: 'open' | 'done';
  checklist: Array<{ item: string; done: boolean }>;
  notes: string;
  createdAt: number;
  doneAt: number | null;
  doneBy: string | null;
  overdue: boolean;
}

export function toServiceReview(
  r: Row<'service_reviews'> & { service_name: string },
  now: number,
): ServiceReview {
  return {
    id: r.id,
    serviceId: r.service_id,
    serviceName: r.service_name,
    teamId: r.team_id,
    kind: r.kind as ServiceReviewKind,
    dueAt: r.due_at,
    status: r.status as 'open' | 'done',
    checklist: JSON.parse(r.checklist_json) as ServiceReview['checklist'],
    notes: r.notes,
    createdAt: r.created_at,
    doneAt: r.done_at,
    doneBy: r.done_by,
    overdue: r.status === 'open' && r.due_at < now,
  };
}

/**
 * Which review a service needs now, if any: its burn-in review once six weeks have passed (for
 * services added within the burn-in window), then a periodic review every `intervalDays` after
 * the latest review's due date (or after the burn-in date). Never a second open review.
 */
export function reviewDue(
  service: { createdAt: number },
  reviews: Array<{ kind: string; dueAt: number; status: string }>,
  now: number,
  intervalDays: number,
): { kind: ServiceReviewKind; dueAt: number } | undefined {
  if (reviews.some((r) => r.status === 'open')) return undefined;
  const burnInAt = service.createdAt + BURN_IN_MS;
  if (now < burnInAt) return undefined;
  const hasBurnIn = reviews.some((r) => r.kind === 'burn_in');
  if (!hasBurnIn && now - service.createdAt <= BURN_IN_WINDOW_MS)
    return { kind: 'burn_in', dueAt: burnInAt };
  const latest = Math.max(burnInAt, ...reviews.map((r) => r.dueAt));
  const next = latest + intervalDays * 86_400_000;
  return now >= next ? { kind: 'periodic', dueAt: next } : undefined;
}
