import type { AlertQuery, IncidentQuery, Matcher } from './types';

/** Every TanStack Query key used by the app, in one place so invalidation stays consistent. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  sessions: ['auth', 'sessions'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  team: (teamId: string) => ['teams', teamId] as const,
  teamMembers: (teamId: string) => ['teams', teamId, 'members'] as const,
  teamApiKeys: (teamId: string) => ['teams', teamId, 'api-keys'] as const,
  services: ['services'] as const,
  service: (serviceId: string) => ['services', serviceId] as const,
  serviceIntegrations: (serviceId: string) => ['services', serviceId, 'integrations'] as const,
  audit: (limit: number) => ['audit', { limit }] as const,
  auditAll: ['audit'] as const,
  alertsAll: ['alerts'] as const,
  alerts: (query: AlertQuery, limit: number) => ['alerts', 'list', { ...query, limit }] as const,
  alert: (alertId: string) => ['alerts', 'detail', alertId] as const,
  incidentsAll: ['incidents'] as const,
  incidents: (query: IncidentQuery) => ['incidents', 'list', query] as const,
  incident: (incidentId: string) => ['incidents', 'detail', incidentId] as const,
  incidentTimeline: (incidentId: string, kinds: readonly string[]) =>
    ['incidents', 'detail', incidentId, 'timeline', { kinds }] as const,
  responseSettings: ['response-settings'] as const,
  ticketsAll: ['tickets'] as const,
  tickets: (teamId: string | undefined) => ['tickets', { teamId }] as const,
  changes: (query: { teamId?: string; serviceId?: string; limit?: number }) =>
    ['changes', query] as const,
  silencesAll: ['silences'] as const,
  silences: (query: { teamId?: string; includeExpired: boolean }) =>
    ['silences', 'list', query] as const,
  silencePreview: (teamId: string, matchers: readonly Matcher[]) =>
    ['silences', 'preview', { teamId, matchers }] as const,
  maintenanceAll: ['maintenance-windows'] as const,
  maintenance: (query: { teamId?: string; includeEnded: boolean }) =>
    ['maintenance-windows', query] as const,
  inhibitRulesAll: ['inhibit-rules'] as const,
  inhibitRules: (teamId: string | undefined) => ['inhibit-rules', { teamId }] as const,
  eventRulesAll: ['event-rules'] as const,
  eventRules: (teamId: string | undefined) => ['event-rules', { teamId }] as const,
  schedulesAll: ['schedules'] as const,
  schedules: (teamId: string | undefined) => ['schedules', 'list', { teamId }] as const,
  schedule: (scheduleId: string) => ['schedules', 'detail', scheduleId] as const,
  scheduleShifts: (scheduleId: string, from: number, to: number) =>
    ['schedules', 'shifts', scheduleId, { from, to }] as const,
  onCall: (teamId: string | undefined) => ['schedules', 'on-call', { teamId }] as const,
  myShifts: (days: number) => ['schedules', 'my-shifts', { days }] as const,
  policiesAll: ['escalation-policies'] as const,
  policies: (teamId: string | undefined) => ['escalation-policies', 'list', { teamId }] as const,
  policy: (policyId: string) => ['escalation-policies', 'detail', policyId] as const,
  incidentEscalation: (incidentId: string) =>
    ['incidents', 'detail', incidentId, 'escalation'] as const,
  incidentDeliveries: (incidentId: string) =>
    ['incidents', 'detail', incidentId, 'deliveries'] as const,
  notifications: ['me', 'notifications'] as const,
  contactMethods: ['me', 'contact-methods'] as const,
  notificationRules: ['me', 'notification-rules'] as const,
  calendarFeeds: ['me', 'calendar-feeds'] as const,
  myDeliveries: ['me', 'deliveries'] as const,
  notifiers: ['notifiers'] as const,
  notifierHealth: ['notifiers', 'health'] as const,
  deadLetters: ['deliveries', 'dead-letters'] as const,
  checksAll: ['checks'] as const,
  checks: (query: object) => ['checks', 'list', query] as const,
  check: (checkId: string) => ['checks', 'detail', checkId] as const,
  checkKinds: ['checks', 'kinds'] as const,
  checkResults: (checkId: string, query: { limit: number; failed: boolean }) =>
    ['checks', 'detail', checkId, 'results', query] as const,
  checkDowntimes: (checkId: string) => ['checks', 'detail', checkId, 'downtimes'] as const,
  checkUptime: (checkId: string) => ['checks', 'detail', checkId, 'uptime'] as const,
  checkLatency: (checkId: string, rangeMs: number) =>
    ['checks', 'detail', checkId, 'latency', { rangeMs }] as const,
};
