/*
 * Notifications: what a message says, what a send did, and the pure decisions of delivery —
 * backoff, rate limits, storm folding, fallback order. No I/O here (DESIGN.md convention 2):
 * the delivery service composes these with the store and the notifier port.
 */

/** What a notification says; each notifier renders it in its own format. */
export interface NotificationContent {
  /**
   * page: an incident needs this person; test: an admin's "send test"; verify: a contact
   * method's verification code; digest: a storm folded into one message; update: the incident
   * changed (acknowledged/resolved) and the message shows it.
   */
  kind: 'page' | 'test' | 'verify' | 'digest' | 'update';
  /** One line, plain text, short enough for an SMS (≤ 160 characters is best). */
  text: string;
  incident?: {
    id: string;
    number: number;
    title: string;
    status: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
    urgency: 'high' | 'low';
    serviceName: string;
    /** The incident's page in Tocsin's web UI (absolute when a public URL is configured). */
    url: string;
    createdAt: number;
  };
  /** Signed one-click links (email): short-lived, single-use, bound to incident and user. */
  links?: { acknowledge?: string; resolve?: string };
  /** Digest: how many pages were folded into this message, and their incidents. */
  digest?: { count: number; incidents: Array<{ number: number; title: string }> };
}

/** One message to one address. */
export interface OutboundMessage {
  /**
   * Stable per outbox row and attempt-independent: the idempotency key the vendor sees where it
   * takes one (Standard Webhooks `webhook-id`), so a retry is recognisably the same message.
   */
  id: string;
  /** Where to: an email address, an E.164 phone number, a Slack user or channel id, a URL. */
  to: string;
  content: NotificationContent;
  /** The Tocsin user it is for, when it is for one (logs, test capture). */
  recipientUserId?: string;
}

/** What a send did. `providerRef` identifies the vendor's message (Slack `channel:ts`, Twilio SID). */
export type SendOutcome =
  | { ok: true; providerRef?: string; delivered?: boolean }
  | {
      ok: false;
      /** false for a permanent failure (a 4xx other than 408/429): never retried. */
      retryable: boolean;
      /** Human-readable, and never containing a secret. */
      reason: string;
      /** From the vendor's Retry-After (or Slack's ratelimited), in milliseconds. */
      retryAfterMs?: number;
      /** The HTTP status (or SMTP reply code) when there was one. */
      status?: number;
      /** No notifier is set up (or it is off) for this channel: nothing was attempted. */
      notConfigured?: boolean;
    };

/** The knobs of delivery; {@link defaultDeliveryPolicy} holds what a pager user expects. */
export interface DeliveryPolicy {
  /** Attempts per message before it is dead-lettered and the next contact method is tried. */
  maxAttempts: number;
  /** First retry after about this long; doubling each time, capped at `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Sends per contact-method type per window (at most 3 calls per 15 minutes). */
  perMethodLimit: Record<string, number>;
  /** Sends per person per window, all methods together. */
  perUserLimit: number;
  rateWindowMs: number;
  /** This many pages due at once for one contact method fold into one digest. */
  stormThreshold: number;
  /** Provider-side failures in a row (5xx, timeouts) that make an outage. */
  outageAfterFailures: number;
  /**
   * A row left `sending` this long under a claim nobody renewed (the sender crashed) is sent
   * again. A sender renews its claim when a send starts and every quarter of this while the
   * vendor call runs, so it need not exceed the notifier timeout (TOCSIN_NOTIFY_TIMEOUT_MS).
   */
  claimTimeoutMs: number;
  /** Lifetime of one-click links. */
  linkTtlMs: number;
}

/** Defaults: retries within about two minutes, 3 calls / 10 SMS per 15 minutes per person. */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 5,
  baseBackoffMs: 5_000,
  maxBackoffMs: 120_000,
  perMethodLimit: { voice: 3, sms: 10, email: 20, slack: 30, webhook: 60, teams: 30 },
  perUserLimit: 60,
  rateWindowMs: 15 * 60_000,
  stormThreshold: 3,
  outageAfterFailures: 3,
  claimTimeoutMs: 2 * 60_000,
  linkTtlMs: 60 * 60_000,
};

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential with "equal jitter"
 * (half fixed, half random) so a provider's recovery is not met by every node at once, and never
 * sooner than the vendor's Retry-After. `random` is injected so tests are exact.
 */
export function backoffMs(
  attempt: number,
  policy: Pick<DeliveryPolicy, 'baseBackoffMs' | 'maxBackoffMs'>,
  random: number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp / 2 + (exp / 2) * random);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** What to do with a message after a failed send. */
export type FailureDecision =
  { action: 'retry'; at: number } | { action: 'dead'; why: 'permanent' | 'exhausted' };

/** Retry a retryable failure until attempts run out; a permanent one is dead at once. */
export function decideAfterFailure(
  outcome: Extract<SendOutcome, { ok: false }>,
  attemptsMade: number,
  now: number,
  policy: DeliveryPolicy,
  random: number,
): FailureDecision {
  if (!outcome.retryable) return { action: 'dead', why: 'permanent' };
  if (attemptsMade >= policy.maxAttempts) return { action: 'dead', why: 'exhausted' };
  return {
    action: 'retry',
    at: now + backoffMs(attemptsMade, policy, random, outcome.retryAfterMs),
  };
}

/**
 * Whether one more send fits the rate limits, given the send times in the window for this
 * contact method and for this person. When it does not, `at` is when the oldest send leaves the
 * window: the message waits (a page is delayed and folded, never silently lost).
 */
export function rateLimitDecision(
  methodSends: readonly number[],
  userSends: readonly number[],
  methodLimit: number,
  userLimit: number,
  windowMs: number,
  now: number,
): { ok: true } | { ok: false; at: number; why: string } {
  const inWindow = (xs: readonly number[]) =>
    xs.filter((t) => t > now - windowMs).sort((a, b) => a - b);
  const m = inWindow(methodSends);
  if (m.length >= methodLimit) {
    return {
      ok: false,
      at: m[m.length - methodLimit]! + windowMs,
      why: `at most ${methodLimit} per ${windowMs / 60_000} min on this contact method`,
    };
  }
  const u = inWindow(userSends);
  if (u.length >= userLimit) {
    return {
      ok: false,
      at: u[u.length - userLimit]! + windowMs,
      why: `at most ${userLimit} per ${windowMs / 60_000} min per person`,
    };
  }
  return { ok: true };
}

/** A due message as the batch planner sees it. */
export interface DueItem {
  id: string;
  contactMethodId: string | null;
  kind: string;
}

/**
 * Splits one pass's due messages into single sends and digests: when `threshold` or more pages
 * are due at once for the same contact method, they fold into one digest (the first message
 * carries it; the others are marked digested). A flood of 40 alerts rings a phone once.
 */
export function planBatch<T extends DueItem>(
  due: readonly T[],
  threshold: number,
): Array<{ lead: T; folded: T[] }> {
  const groups = new Map<string, T[]>();
  const plan: Array<{ lead: T; folded: T[] }> = [];
  for (const m of due) {
    if (m.kind !== 'page' || !m.contactMethodId) {
      plan.push({ lead: m, folded: [] });
      continue;
    }
    const g = groups.get(m.contactMethodId) ?? [];
    g.push(m);
    groups.set(m.contactMethodId, g);
  }
  for (const g of groups.values()) {
    if (g.length >= threshold) plan.push({ lead: g[0]!, folded: g.slice(1) });
    else for (const m of g) plan.push({ lead: m, folded: [] });
  }
  return plan;
}

/**
 * Whether a page about an incident in `status` is moot: an escalation page (or the low-urgency
 * page of a first level's on-call) once someone acknowledged; a page that asks a person for something (commander, help, an update reminder,
 * the distribution list) only once the incident is resolved.
 */
export function isMootPage(reason: string, status: string): boolean {
  return reason === 'escalation' || reason === 'low-urgency'
    ? status !== 'triggered'
    : status === 'resolved';
}

/**
 * One incident folded into a digest, as the digest's outbox row keeps it (`digest_json`), so a
 * retry, a fallback or a resend of the digest still covers every incident. Rows written before
 * `incidentId` and `reason` were kept have only `number` and `title`.
 */
export interface DigestEntry {
  incidentId?: string;
  number: number;
  title: string;
  /** Why the folded page was sent (the intent's reason): decides when it is moot. */
  reason?: string;
}

/** Parses a digest row's `digest_json`; anything unreadable is an empty digest. */
export function parseDigest(json: string | null | undefined): DigestEntry[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v)
      ? v.filter(
          (e): e is DigestEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as DigestEntry).number === 'number' &&
            typeof (e as DigestEntry).title === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/**
 * The entries of a digest still worth sending, given each incident's status now (`statusOf`
 * returns undefined for an incident that is gone). A retry never rings for incidents that were
 * acknowledged meanwhile, and a digest with none left is dropped.
 */
export function liveDigestEntries(
  entries: readonly DigestEntry[],
  statusOf: (e: DigestEntry) => string | undefined,
): DigestEntry[] {
  return entries.filter((e) => {
    const status = statusOf(e);
    return status !== undefined && !isMootPage(e.reason ?? 'escalation', status);
  });
}

/** Contact-method types in the order a fallback tries them: the loudest that still reaches. */
export const fallbackOrder = ['voice', 'sms', 'slack', 'email', 'teams', 'webhook'] as const;

/**
 * The contact method to try after `failedType` failed for good: the first verified one in
 * {@link fallbackOrder} not already tried for this page.
 */
export function nextFallbackMethod<M extends { id: string; type: string; verified: boolean }>(
  methods: readonly M[],
  triedIds: ReadonlySet<string>,
): M | undefined {
  const usable = methods.filter((m) => m.verified && !triedIds.has(m.id));
  return usable.sort(
    (a, b) =>
      fallbackOrder.indexOf(a.type as (typeof fallbackOrder)[number]) -
      fallbackOrder.indexOf(b.type as (typeof fallbackOrder)[number]),
  )[0];
}

/** The one-line page text: number, urgency, title, service, e.g. for SMS and Slack fallbacks. */
export function pageText(i: {
  number: number;
  urgency: string;
  title: string;
  serviceName: string;
}): string {
  const head = `#${i.number} ${i.urgency === 'high' ? 'HIGH' : 'low'} ${i.serviceName}: `;
  const room = 140 - head.length;
  const title = i.title.length > room ? `${i.title.slice(0, Math.max(0, room - 1))}…` : i.title;
  return head + title;
}
