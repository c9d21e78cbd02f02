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
  events: AlertEvent[];
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

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'triggered',
  'acknowledged',
  'resolved',
];

/** high pages on-call; low has a response target (24 h) and wakes nobody. */
export type Urgency = 'high' | 'low';

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

/** `GET /api/incidents/:id`: the incident, its alerts and its timeline. */
export interface IncidentDetail extends Incident {
  alerts: Alert[];
  timeline: TimelineEntry[];
}

export interface IncidentQuery {
  teamId?: Id;
  status?: readonly IncidentStatus[];
  limit?: number;
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
