/**
 * Shapes of the Tocsin HTTP API, as documented in docs/api.md.
 * Timestamps are UTC milliseconds since the epoch; ids are UUIDv7 strings.
 */

export type Id = string;
export type EpochMs = number;

export type TeamRole = 'admin' | 'responder' | 'viewer';
export const TEAM_ROLES: readonly TeamRole[] = ['admin', 'responder', 'viewer'];

/** `{"error":{"code","message","field"}}`: the body of every 4xx/5xx. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
  };
}

/** `{ items: [...] }`, with `nextCursor` where paginated. */
export interface ListResponse<T> {
  items: T[];
}

export interface PaginatedResponse<T> extends ListResponse<T> {
  nextCursor: string | null;
}

export interface User {
  id: Id;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  disabled: boolean;
  createdAt: EpochMs;
}

export interface Membership {
  teamId: Id;
  teamName: string;
  role: TeamRole;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  user: User;
  csrfToken: string;
}

export interface MeResponse {
  user: User;
  memberships: Membership[];
  csrfToken: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface ChangePasswordResponse {
  csrfToken: string;
}

export interface Session {
  id: Id;
  createdAt: EpochMs;
  lastSeenAt: EpochMs;
  expiresAt: EpochMs;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  isOrgAdmin?: boolean;
}

export interface UpdateUserRequest {
  name?: string;
  isOrgAdmin?: boolean;
  disabled?: boolean;
}

export interface Team {
  id: Id;
  name: string;
  description: string | null;
  createdAt: EpochMs;
  /** The caller's role in the team; absent when the caller is not a member (org admins). */
  role?: TeamRole;
}

export interface CreateTeamRequest {
  name: string;
  description?: string;
}

export interface TeamMember {
  userId: Id;
  email: string;
  name: string;
  role: TeamRole;
}

export interface SetMemberRoleResponse {
  userId: Id;
  role: TeamRole;
}

export interface ApiKey {
  id: Id;
  teamId: Id;
  name: string;
  role: TeamRole;
  prefix: string;
  createdAt: EpochMs;
  lastUsedAt: EpochMs | null;
  revokedAt: EpochMs | null;
  createdBy: Id | null;
}

export interface CreateApiKeyRequest {
  name: string;
  role: TeamRole;
}

export interface CreateApiKeyResponse {
  apiKey: ApiKey;
  /** Shown once, never again. */
  secret: string;
}

// --- Signals: services, integrations, alerts, incidents, muting, rules ---

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** What severity routing does with an alert. */
export type AlertRoute = 'page' | 'notify' | 'record';
export const ALERT_ROUTES: readonly AlertRoute[] = ['page', 'notify', 'record'];

export type SeverityRouting = Record<Severity, AlertRoute>;

export interface ServiceSettings {
  routing: SeverityRouting;
  /** Labels whose values make the group key; alerts sharing it join one open incident. */
  groupBy: string[];
  /** Resolve the incident when all its alerts have resolved. */
  autoResolve: boolean;
  notifyEmails: string[];
  notifySlackChannel: string | null;
  /** Re-trigger an incident still acknowledged this many minutes after it (1–1440); null: never. */
  ackTimeoutMinutes: number | null;
}

export interface Service {
  id: Id;
  teamId: Id;
  teamName: string;
  name: string;
  description: string | null;
  tags: string[];
  escalationPolicyId: Id | null;
  settings: ServiceSettings;
  /** Ids of the services this one depends on. */
  dependsOn: Id[];
  createdAt: EpochMs;
}

export interface UpdateServiceRequest {
  name?: string;
  description?: string;
  tags?: string[];
  dependsOn?: Id[];
  escalationPolicyId?: Id | null;
  settings?: Partial<ServiceSettings>;
}

export type IntegrationType = 'pagerduty-v2' | 'alertmanager' | 'grafana' | 'generic' | 'email';
export const INTEGRATION_TYPES: readonly IntegrationType[] = [
  'pagerduty-v2',
  'alertmanager',
  'grafana',
  'generic',
  'email',
];

export interface Integration {
  id: Id;
  serviceId: Id;
  type: IntegrationType;
  name: string;
  keyPrefix: string;
  config: unknown;
  rateLimitPerMinute: number;
  createdAt: EpochMs;
  lastEventAt: EpochMs | null;
  disabledAt: EpochMs | null;
}

export interface CreateIntegrationRequest {
  type: IntegrationType;
  name?: string;
  config?: Record<string, unknown>;
  rateLimitPerMinute?: number;
}

export interface CreateIntegrationResponse {
  integration: Integration;
  /** Shown once, never again. */
  key: string;
}

export type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';
export const ALERT_STATUSES: readonly AlertStatus[] = ['triggered', 'acknowledged', 'resolved'];

export type MuteKind = 'silence' | 'maintenance' | 'inhibition';

export interface MuteReason {
  kind: MuteKind;
  id: Id;
}

export interface AlertLink {
  href: string;
  text?: string;
}

export interface AlertImage {
  src: string;
  href?: string;
  alt?: string;
}

export interface Alert {
  id: Id;
  serviceId: Id;
  teamId: Id;
  integrationId: Id | null;
  dedupKey: string;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  source: string | null;
  component: string | null;
  group: string | null;
  class: string | null;
  labels: Record<string, string>;
  details: unknown;
  links: AlertLink[];
  images: AlertImage[];
  client: string | null;
  clientUrl: string | null;
  groupKey: string;
  route: AlertRoute | null;
  suppressed: boolean;
  muted: MuteReason | null;
  incidentId: Id | null;
  eventCount: number;
  firstSeenAt: EpochMs;
  lastSeenAt: EpochMs;
  endsAt: EpochMs | null;
  acknowledgedAt: EpochMs | null;
  acknowledgedBy: string | null;
  resolvedAt: EpochMs | null;
  resolvedBy: string | null;
}

export interface AlertEvent {
  id: Id;
  at: EpochMs;
  action: string;
  actorName: string | null;
  note: string | null;
}

/** `GET /api/alerts/:id`: the alert, the payload as received and what happened to it. */
export interface AlertDetail extends Alert {
  raw: unknown;
  /** The newest events (at most 200), oldest first; repeats of an unchanged alert are folded. */
  events: AlertEvent[];
  /** All of its events; more than `events.length` when earlier ones are left out. */
  eventsTotal: number;
}

/** Filters of `GET /api/alerts`; lists are sent comma-separated. */
export interface AlertQuery {
  teamId?: Id;
  serviceId?: Id;
  incidentId?: Id;
  status?: readonly AlertStatus[];
  severity?: readonly Severity[];
  muted?: boolean;
  q?: string;
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'triggered',
  'acknowledged',
  'mitigated',
  'resolved',
];

/** SEV1 Production System Down, SEV2 Production System Impaired, SEV3 System Impaired. */
export type IncidentSeverity = 'SEV1' | 'SEV2' | 'SEV3';
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = ['SEV1', 'SEV2', 'SEV3'];

export type IncidentPriority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
export const INCIDENT_PRIORITIES: readonly IncidentPriority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** Where an incident came from. */
export type IncidentSource = 'alert' | 'manual' | 'ticket' | 'slack';

/** high pages on-call; low has a response target (24 h) and wakes nobody. */
export type Urgency = 'high' | 'low';

/** The Slack war room, once made, or why it could not be. */
export type WarRoom = { channelId: string; channelName: string } | { error: string };

export interface Incident {
  id: Id;
  number: number;
  title: string;
  serviceId: Id;
  teamId: Id;
  status: IncidentStatus;
  urgency: Urgency;
  groupKey: string | null;
  responseDueAt: EpochMs | null;
  alertCount: number;
  createdAt: EpochMs;
  lastAlertAt: EpochMs | null;
  acknowledgedAt: EpochMs | null;
  acknowledgedBy: string | null;
  resolvedAt: EpochMs | null;
  resolvedBy: string | null;
  description: string;
  severity: IncidentSeverity | null;
  priority: IncidentPriority | null;
  businessImpact: string;
  customerImpacting: boolean;
  source: IncidentSource;
  declaredBy: string | null;
  mitigatedAt: EpochMs | null;
  mitigatedBy: string | null;
  conferenceUrl: string | null;
  warRoom: WarRoom | null;
  lastUpdateAt: EpochMs | null;
  /** When the commander is next reminded to post an update. */
  reminderAt: EpochMs | null;
  /**
   * When the incident, if still acknowledged, is re-triggered (the service's acknowledgement
   * timeout, or the end of a snooze); null: no timer.
   */
  retriggerAt: EpochMs | null;
  retriggerReason: 'ack_timeout' | 'snooze' | null;
  /** The end of a snooze, else null. */
  snoozedUntil: EpochMs | null;
}

/** `POST /api/incidents/:id/snooze` */
export interface SnoozeIncidentRequest {
  /** 1 to 1440. */
  minutes: number;
}

export interface TimelineEntry {
  id: Id;
  incidentId: Id;
  at: EpochMs;
  kind: string;
  actorName: string | null;
  message: string;
  data: unknown;
}

/** `GET /api/incidents/:id/timeline`: a page of entries, oldest first, and the way to older ones. */
export interface TimelinePage extends ListResponse<TimelineEntry> {
  /** Entries in the whole timeline (of the kinds asked for). */
  total: number;
  /** `before` for the page of older entries; null when this page starts the timeline. */
  olderCursor: string | null;
}

/** The response roles: one commander and one communications lead; teams of many. */
export type ResponseRole = 'commander' | 'communications' | 'recovery' | 'root_cause';
export const RESPONSE_ROLES: readonly ResponseRole[] = [
  'commander',
  'communications',
  'recovery',
  'root_cause',
];

export interface IncidentRoleHolder {
  role: ResponseRole;
  userId: Id;
  name: string;
  assignedAt: EpochMs;
}

export interface ChecklistItem {
  id: Id;
  role: ResponseRole;
  text: string;
  doneAt: EpochMs | null;
  doneBy: string | null;
}

/** A stakeholder update, as sent to the subscribers. */
export interface StakeholderUpdate {
  id: Id;
  at: EpochMs;
  authorName: string;
  /** The incident's status when it was posted. */
  status: string;
  message: string;
  recipients: number;
}

export interface RelatedIncident {
  id: Id;
  number: number;
  title: string;
  status: string;
  severity: string | null;
  createdAt: EpochMs;
}

/** A customer's report, from a support tool or mail. */
export interface Ticket {
  id: Id;
  teamId: Id;
  customerName: string;
  customerEmail: string;
  subject: string;
  body: string;
  source: string;
  externalRef: string | null;
  incidentId: Id | null;
  createdBy: string;
  createdAt: EpochMs;
}

/** Milliseconds from the opening to each step; null until reached. */
export interface ResponseTimes {
  toAcknowledgeMs: number | null;
  toMitigateMs: number | null;
  toResolveMs: number | null;
}

/**
 * A change event around an incident: of an impacted service or one they depend on, from a day
 * before it opened until it resolved.
 */
export interface IncidentChange {
  id: Id;
  serviceId: Id;
  serviceName: string;
  /** Sent for a service the impacted ones depend on. */
  dependency: boolean;
  summary: string;
  source: string | null;
  occurredAt: EpochMs;
  links: AlertLink[];
}

/** `GET /api/incidents/:id`: the incident and everything its page shows. */
export interface IncidentDetail extends Incident {
  /** The newest alerts (100 at most); older ones through `GET /api/alerts?incidentId=`. */
  alerts: Alert[];
  /** The incident's alerts in all. */
  alertsTotal: number;
  /** `before` for the alerts older than these; null when there are none. */
  alertsNextCursor: string | null;
  /** The newest page of the timeline, oldest first (see TimelinePage). */
  timeline: TimelineEntry[];
  timelineTotal: number;
  timelineOlderCursor: string | null;
  /** Impacted services; the first owns the incident. */
  services: { id: Id; name: string }[];
  roles: IncidentRoleHolder[];
  checklist: ChecklistItem[];
  updates: StakeholderUpdate[];
  related: RelatedIncident[];
  /** What changed: deploys to its services and to what they depend on, newest first. */
  changes: IncidentChange[];
  tickets: Ticket[];
  times: ResponseTimes;
  /** The caller follows this incident's stakeholder updates. */
  subscribed: boolean;
}

export interface IncidentQuery {
  teamId?: Id;
  status?: readonly IncidentStatus[];
  severity?: readonly IncidentSeverity[];
  /** Title words, or `#123` for a number. */
  q?: string;
  limit?: number;
  /** Only mine: paged about, acknowledged by me, or a role of mine (open unless `status`). */
  mine?: boolean;
}

/** `POST /api/incidents`: declare an incident by hand. */
export interface DeclareIncidentRequest {
  title: string;
  description?: string;
  severity: IncidentSeverity;
  priority?: IncidentPriority | null;
  /** The first owns the incident (its team responds); the others are impacted. */
  serviceIds: Id[];
  businessImpact?: string;
  customerImpacting?: boolean;
  commanderId?: Id;
  conferenceUrl?: string | null;
}

/** `PATCH /api/incidents/:id` */
export interface UpdateIncidentRequest {
  title?: string;
  description?: string;
  severity?: IncidentSeverity;
  priority?: IncidentPriority | null;
  serviceIds?: Id[];
  businessImpact?: string;
  customerImpacting?: boolean;
  conferenceUrl?: string | null;
}

/** The statuses `POST /api/incidents/:id/status` moves to (forward only). */
export type IncidentStatusChange = Exclude<IncidentStatus, 'triggered'>;

export type AttachmentContentType =
  'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'text/plain' | 'application/json';
export const ATTACHMENT_CONTENT_TYPES: readonly AttachmentContentType[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'application/json',
];

export interface NoteAttachmentInput {
  name: string;
  contentType: AttachmentContentType;
  dataBase64: string;
}

export interface AddNoteRequest {
  markdown: string;
  attachments: NoteAttachmentInput[];
}

/** A stored attachment, as listed in a note's `data`. */
export interface NoteAttachment {
  id: Id;
  name: string;
  contentType: string;
  size: number;
}

/** `data` of a `note` timeline entry. */
export interface NoteData {
  markdown: string;
  attachments: NoteAttachment[];
}

export interface PostUpdateResponse {
  id: Id;
  recipients: number;
}

export interface SeverityDefinition {
  id: IncidentSeverity;
  name: string;
  description: string;
}

export interface RoleDefinition {
  id: ResponseRole;
  name: string;
  description: string;
  /** Copied onto each incident, where it can be ticked and added to. */
  checklist: string[];
}

/** `GET /api/response-settings`: the organisation's way of running incidents. */
export interface ResponseSettings {
  severities: SeverityDefinition[];
  roles: RoleDefinition[];
  /** Minutes without an update before the commander is reminded (null: never). */
  reminderMinutes: Record<IncidentSeverity, number | null>;
  /** Severities that get a Slack war room. */
  warRoomSeverities: IncidentSeverity[];
  /** The team that owns customer tickets, and the service ticket incidents are opened on. */
  ticketTeamId: Id | null;
  ticketServiceId: Id | null;
}

/** A deploy or configuration change: stored and shown, never pages. */
export interface ChangeEvent {
  id: Id;
  serviceId: Id;
  summary: string;
  source: string | null;
  occurredAt: EpochMs;
  details: unknown;
  links: AlertLink[];
}

/** A label matcher, as Alertmanager has them: `=`, `!=`, `=~`, `!~` (regexes are anchored). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: Id;
  teamId: Id;
  matchers: Matcher[];
  startsAt: EpochMs;
  endsAt: EpochMs;
  comment: string;
  createdBy: string;
  createdAt: EpochMs;
}

export interface CreateSilenceRequest {
  teamId: Id;
  matchers: Matcher[];
  startsAt?: EpochMs;
  endsAt: EpochMs;
  comment: string;
}

export interface PreviewMatchersRequest {
  teamId: Id;
  matchers: Matcher[];
}

export interface MaintenanceWindow {
  id: Id;
  teamId: Id;
  serviceIds: Id[];
  startsAt: EpochMs;
  endsAt: EpochMs;
  description: string;
  createdBy: string;
  createdAt: EpochMs;
}

export interface CreateMaintenanceRequest {
  teamId: Id;
  serviceIds: Id[];
  /** Absent: starts now. */
  startsAt?: EpochMs;
  endsAt: EpochMs;
  description: string;
}

export interface InhibitRule {
  id: Id;
  teamId: Id;
  name: string;
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
  createdAt: EpochMs;
}

export interface CreateInhibitRuleRequest {
  teamId: Id;
  name: string;
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

export interface EventRuleActions {
  severity?: Severity;
  routeToServiceId?: Id;
  suppress?: boolean;
  drop?: boolean;
}

export interface EventRule {
  id: Id;
  teamId: Id;
  position: number;
  name: string;
  matchers: Matcher[];
  actions: EventRuleActions;
  enabled: boolean;
}

export interface CreateEventRuleRequest {
  teamId: Id;
  name: string;
  position?: number;
  matchers: Matcher[];
  actions: EventRuleActions;
  enabled?: boolean;
}

export type ActorType = 'user' | 'apikey' | 'system';

export interface AuditEntry {
  id: Id;
  at: EpochMs;
  actorType: ActorType;
  actorId: Id | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: Id | null;
  teamId: Id | null;
  before: unknown;
  after: unknown;
}

// --- On-call: schedules, escalation, personal notification settings ---

export type RotationKind = 'hourly' | 'daily' | 'weekly' | 'custom';
export const ROTATION_KINDS: readonly RotationKind[] = ['hourly', 'daily', 'weekly', 'custom'];

export type RotationUnit = 'hours' | 'days';

export interface Rotation {
  kind: RotationKind;
  /** For `custom`: how many units one shift lasts. */
  length?: number;
  /** For `custom`: hours (absolute time) or days (wall clock). */
  unit?: RotationUnit;
  /** Local handoff time, `HH:MM`, in the schedule's time zone. */
  handoffTime: string;
}

/** Limits a layer to times of day, or to a span of the week (1 = Monday … 7 = Sunday). */
export type Restriction =
  | { kind: 'daily'; start: string; end: string }
  | { kind: 'weekly'; startDay: number; start: string; endDay: number; end: string };

export interface Layer {
  id: Id;
  name: string;
  /** Higher positions override lower ones wherever they have someone. */
  position: number;
  /** User ids in rotation order. */
  participants: Id[];
  rotation: Rotation;
  /** Local date of the first handoff, `YYYY-MM-DD`. */
  startDate: string;
  restrictions: Restriction[];
}

/** A layer as sent in a create or update: the server assigns ids to new layers. */
export type LayerInput = Omit<Layer, 'id'> & { id?: Id };

export interface Schedule {
  id: Id;
  teamId: Id;
  name: string;
  timeZone: string;
  layers: Layer[];
  createdAt: EpochMs;
  /** Participants with no high-urgency notification rule: a page reaches them in the app only. */
  noHighUrgencyRules?: UnreachablePerson[];
  /** Where nobody is on call in the next 14 days (at most 50 spans). */
  gaps?: CoverageGap[];
}

/** A span with nobody on call on a schedule. */
export interface CoverageGap {
  start: EpochMs;
  end: EpochMs;
}

/** Someone a schedule or policy can page who has no high-urgency notification rule. */
export interface UnreachablePerson {
  userId: Id;
  name: string;
}

export interface CreateScheduleRequest {
  teamId: Id;
  name: string;
  timeZone: string;
  layers: LayerInput[];
}

export interface UpdateScheduleRequest {
  name?: string;
  timeZone?: string;
  layers?: LayerInput[];
}

/** A span of time with one person on call; from a layer or an override. */
export interface Shift {
  userId: Id;
  start: EpochMs;
  end: EpochMs;
  layerId?: Id;
  overrideId?: Id;
}

export interface Override {
  id: Id;
  scheduleId: Id;
  userId: Id;
  start: EpochMs;
  end: EpochMs;
  createdBy: string;
}

export interface CreateOverrideRequest {
  userId: Id;
  start: EpochMs;
  end: EpochMs;
}

/** `GET /api/schedules/:id/shifts`: the final schedule, each layer's shifts, the overrides. */
export interface ScheduleShifts {
  final: Shift[];
  /** Where nobody is on call within the window (at most 50 spans). */
  gaps?: CoverageGap[];
  layers: { id: Id; name: string; shifts: Shift[] }[];
  overrides: Override[];
}

export interface OnCallEntry {
  scheduleId: Id;
  scheduleName: string;
  teamId: Id;
  /** Null when nobody is on call. */
  userId: Id | null;
  /** Who comes on call next and from when; null when nobody does within 90 days. */
  next?: { userId: Id; name: string; start: EpochMs } | null;
}

export interface MyShift extends Shift {
  scheduleId: Id;
  scheduleName: string;
}

export type EscalationTargetType = 'user' | 'schedule' | 'team';

export interface EscalationTarget {
  type: EscalationTargetType;
  id: Id;
}

export interface EscalationLevel {
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  id: Id;
  teamId: Id;
  name: string;
  repeatCount: number;
  levels: EscalationLevel[];
  createdAt: EpochMs;
  /** People it can page who have no high-urgency notification rule (reached in the app only). */
  noHighUrgencyRules?: UnreachablePerson[];
}

export interface CreateEscalationPolicyRequest {
  teamId: Id;
  name: string;
  repeatCount: number;
  levels: EscalationLevel[];
}

/** `PUT /api/escalation-policies/:id`: the whole policy but its team. */
export type UpdateEscalationPolicyRequest = Omit<CreateEscalationPolicyRequest, 'teamId'>;

/** `POST /api/incidents/:id/reassign`: to another policy of the team, or to people. */
export type ReassignIncidentRequest = { policyId: Id } | { userIds: Id[] };

/** Where an incident's escalation stands: `level` and `round` are the next ones, from 0. */
export interface EscalationState {
  policyId: Id;
  level: number;
  round: number;
  nextAt: EpochMs | null;
  /** `active`, `stopped`, `exhausted`, `reassigned`. */
  status: string;
}

export interface PageMessage {
  channel: string;
  sendAt: EpochMs;
  status: string;
  sentAt: EpochMs | null;
}

/** One person paged about an incident, with the messages queued for them. */
export interface IncidentPage {
  id: Id;
  userId: Id;
  /** `escalation`, `responder`, `reassigned`. */
  reason: string;
  level: number | null;
  round: number | null;
  createdAt: EpochMs;
  messages: PageMessage[];
}

export interface IncidentEscalation {
  state: EscalationState | null;
  pages: IncidentPage[];
}

export interface AddRespondersRequest {
  userIds: Id[];
  message: string;
}

export interface AddRespondersResponse {
  /** Names of the people paged. */
  paged: string[];
}

export interface InAppNotification {
  id: Id;
  incidentId: Id;
  urgency: Urgency;
  reason: string;
  message: string;
  createdAt: EpochMs;
  read: boolean;
}

export type ContactType = 'email' | 'sms' | 'voice' | 'slack' | 'webhook' | 'teams';
export const CONTACT_TYPES: readonly ContactType[] = [
  'email',
  'sms',
  'voice',
  'slack',
  'webhook',
  'teams',
];

export interface ContactMethod {
  id: Id;
  type: ContactType;
  label: string;
  address: string;
  verified: boolean;
  createdAt: EpochMs;
}

export interface CreateContactMethodRequest {
  type: ContactType;
  label: string;
  address: string;
}

export interface NotificationRule {
  id: Id;
  contactMethodId: Id;
  contactType: ContactType;
  contactLabel: string;
  urgency: Urgency;
  delayMinutes: number;
  /** Made by Tocsin at the first verified email or phone; your own first rule replaces it. */
  isDefault?: boolean;
}

export interface CreateNotificationRuleRequest {
  contactMethodId: Id;
  urgency: Urgency;
  delayMinutes: number;
}

export type CalendarFeedKind = 'user' | 'schedule';

export interface CalendarFeed {
  id: Id;
  kind: CalendarFeedKind;
  /** The user (personal feed) or the schedule. */
  subjectId: Id;
  createdAt: EpochMs;
}

export interface CreateCalendarFeedRequest {
  kind: CalendarFeedKind;
  scheduleId?: Id;
}

export interface CreateCalendarFeedResponse extends CalendarFeed {
  /** Shown once, never again. */
  token: string;
  /** `/api/calendar/<token>.ics` */
  path: string;
}

// --- Notifiers and deliveries ---

export type NotifierId = 'email' | 'slack' | 'sms' | 'voice' | 'webhook' | 'teams';

/** What a contact method of a notifier holds, and what the notifier can do. */
export interface NotifierCapabilities {
  addressKind: 'email' | 'phone' | 'slack' | 'url';
  /** Sent messages are re-rendered when the incident changes (Slack). */
  updateInPlace: boolean;
  /** The provider reports delivery later (Twilio). */
  deliveryReceipts: boolean;
  /** The recipient can act from the message (buttons, replies, key presses, links). */
  interactive: boolean;
}

/** A notifier's org-wide settings (org admins); secret values are never returned. */
export interface NotifierSettings {
  id: NotifierId;
  label: string;
  secretFields: string[];
  capabilities: NotifierCapabilities;
  enabled: boolean;
  /** Settings have been saved at least once. */
  configured: boolean;
  /** Non-secret fields only. */
  config: Record<string, unknown>;
  /** Secret fields that hold a value. */
  secretsSet: string[];
  updatedAt: EpochMs | null;
}

/** An empty or omitted secret keeps the stored one. */
export interface SaveNotifierRequest {
  enabled: boolean;
  config: Record<string, unknown>;
}

/** What happened to one message sent through a notifier. */
export type SendOutcome =
  | { ok: true; providerRef?: string }
  | { ok: false; retryable: boolean; reason: string; status?: number };

export interface ContactMethodTestResponse {
  ok: boolean;
  reason?: string;
  retryable?: boolean;
  channel: string;
  to: string;
}

/** What re-encrypting one kind of stored secret did (mirrors core/secrets.ts ResealCount). */
export interface ResealCount {
  changed: number;
  /** Values no configured key can read, left as they are. */
  unreadable: number;
}

export interface RotateSecretsResponse extends ResealCount {
  kinds: {
    notifierSettings: ResealCount;
    checkHeaders: ResealCount;
    statusPageSubscribers: ResealCount;
    trackerTokens: ResealCount;
  };
}

export interface NotifierHealth {
  notifierId: string;
  outage: boolean;
  consecutiveFailures: number;
  failingSince: EpochMs | null;
  lastError: string | null;
  lastSuccessAt: EpochMs | null;
}

export type DeliveryOutcome =
  | 'sent'
  | 'delivered'
  | 'retry'
  | 'failed'
  | 'dropped'
  | 'deferred'
  | 'digested'
  | 'fallback'
  | 'requeued';

/** One entry of the delivery log: something that happened to an outgoing message. */
export interface DeliveryAttempt {
  id: Id;
  messageId: Id;
  incidentId: Id | null;
  incidentNumber: number | null;
  userId: Id;
  userName: string | null;
  channel: string;
  at: EpochMs;
  outcome: DeliveryOutcome;
  statusCode: number | null;
  detail: string | null;
}

/** A message that failed for good (org admins can send it again). */
export interface DeadLetter {
  id: Id;
  incidentId: Id | null;
  incidentNumber: number | null;
  userId: Id;
  userName: string | null;
  channel: string;
  address: string | null;
  lastError: string | null;
  createdAt: EpochMs;
}

/** `GET /api/reports/<name>`: a report's chart data and its table (the CSV's rows). */
export interface ReportResponse<T> {
  from: EpochMs;
  to: EpochMs;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  data: T;
  /**
   * True when the report needed more rows than the server reads for one (100,000): its numbers
   * then cover the start of the window only. Reports that count (incidents, response times,
   * alert noise) are never cut.
   */
  truncated: boolean;
}
