import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/*
 * The store's tables as Kysely sees them. Conventions that keep one code path for SQLite and
 * Postgres: times are UTC milliseconds in BIGINT columns (read back as numbers on both), booleans
 * are 0/1 integers, JSON is TEXT we (de)serialise ourselves, ids are UUIDv7 text.
 */

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_org_admin: number;
  disabled: number;
  password_changed_at: number;
  created_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
  ip: string;
  revoked_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  team_id: string;
  name: string;
  role: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  team_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface LoginAttemptsTable {
  id: string;
  subject: string;
  at: number;
  succeeded: number;
}

export interface ServicesTable {
  id: string;
  team_id: string;
  name: string;
  description: string;
  created_at: number;
  escalation_policy_id: string | null;
  tags_json: string;
  /** Routing, grouping and distribution-list settings (see domains/services). */
  settings_json: string;
}

export interface ServiceDependenciesTable {
  service_id: string;
  depends_on_id: string;
}

export interface IntegrationsTable {
  id: string;
  service_id: string;
  type: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  config_json: string;
  rate_limit_per_minute: number;
  created_by: string | null;
  created_at: number;
  last_event_at: number | null;
  disabled_at: number | null;
}

export interface IncidentsTable {
  id: string;
  number: number;
  title: string;
  service_id: string;
  team_id: string;
  status: string;
  urgency: string;
  group_key: string | null;
  response_due_at: number | null;
  alert_count: number;
  created_at: number;
  last_alert_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  description: Generated<string>;
  /** SEV1 | SEV2 | SEV3, or null until classified. */
  severity: Generated<string | null>;
  priority: Generated<string | null>;
  business_impact: Generated<string>;
  customer_impacting: Generated<number>;
  /** alert | manual | ticket | slack */
  source: Generated<string>;
  declared_by: Generated<string | null>;
  mitigated_at: Generated<number | null>;
  mitigated_by: Generated<string | null>;
  /** The user who first acknowledged (null: an integration, API key or Tocsin, or before 0013). */
  acknowledged_by_id: Generated<string | null>;
  conference_url: Generated<string | null>;
  /** `{channelId, channelName}` once the war room exists; `{error}` when it could not be made. */
  war_room_json: Generated<string | null>;
  /** The war room's Slack channel id (messages and slash commands find the incident by it). */
  war_room_channel_id: Generated<string | null>;
  last_update_at: Generated<number | null>;
  /** When the commander is next reminded to post an update (a timer row). */
  reminder_at: Generated<number | null>;
  updated_at: Generated<number>;
  /** When an acknowledged incident is re-triggered (ack timeout, end of a snooze): a timer row. */
  retrigger_at: Generated<number | null>;
  /** Why `retrigger_at` is set: `ack_timeout` | `snooze`. */
  retrigger_reason: Generated<string | null>;
  /** When the timer was set (the acknowledgement or the snooze). */
  retrigger_set_at: Generated<number | null>;
}

/**
 * Tries at opening an incident's Slack war room (a row once the first starts). The incident's
 * `war_room_json` stays null until the room is opened or given up; this row says how many tries
 * were made and when the next may start.
 */
export interface WarRoomTriesTable {
  incident_id: string;
  /** Tries so far, the running one included. */
  attempts: number;
  /** When the next try may start: a retry's backoff, or the end of a running try's claim. */
  due_at: number | null;
  /** The channel name the first try asked for: retries ask for it again, whatever the title. */
  channel_name: Generated<string | null>;
}

export interface IncidentServicesTable {
  incident_id: string;
  service_id: string;
}

export interface IncidentRolesTable {
  id: string;
  incident_id: string;
  role: string;
  user_id: string;
  assigned_by: string;
  assigned_at: number;
}

export interface IncidentChecklistTable {
  id: string;
  incident_id: string;
  role: string;
  position: number;
  text: string;
  done_at: number | null;
  done_by: string | null;
}

export interface IncidentAttachmentsTable {
  id: string;
  incident_id: string;
  timeline_id: string;
  name: string;
  content_type: string;
  size: number;
  data_base64: string;
  created_at: number;
}

export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  at: number;
  author_name: string;
  status: string;
  message: string;
  recipients: number;
}

export interface SubscriptionsTable {
  /** incident | service */
  kind: string;
  subject_id: string;
  user_id: string;
  created_at: number;
}

export interface TicketsTable {
  id: string;
  team_id: string;
  customer_name: string;
  customer_email: string;
  subject: string;
  body: string;
  /** api | email */
  source: string;
  external_ref: string | null;
  incident_id: string | null;
  created_by: string;
  created_at: number;
}

export interface OrgSettingsTable {
  key: string;
  value_json: string;
  updated_by: string;
  updated_at: number;
}

export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  actor_name: string;
  message: string;
  data_json: string | null;
}

export interface AlertsTable {
  id: string;
  service_id: string;
  team_id: string;
  integration_id: string | null;
  dedup_key: string;
  status: string;
  severity: string;
  summary: string;
  source: string | null;
  component: string | null;
  group_name: string | null;
  class: string | null;
  labels_json: string;
  details_json: string | null;
  links_json: string | null;
  images_json: string | null;
  client: string | null;
  client_url: string | null;
  group_key: string;
  route: string | null;
  suppressed: number;
  muted_kind: string | null;
  muted_by: string | null;
  incident_id: string | null;
  event_count: number;
  first_seen_at: number;
  last_seen_at: number;
  ends_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  raw_json: string | null;
}

export interface AlertEventsTable {
  id: string;
  alert_id: string;
  at: number;
  action: string;
  actor_name: string;
  note: string | null;
}

export interface ChangeEventsTable {
  id: string;
  service_id: string;
  team_id: string;
  integration_id: string | null;
  summary: string;
  source: string | null;
  occurred_at: number;
  details_json: string | null;
  links_json: string | null;
  raw_json: string | null;
  created_at: number;
}

export interface SilencesTable {
  id: string;
  team_id: string;
  matchers_json: string;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string;
  created_at: number;
}

export interface MaintenanceWindowsTable {
  id: string;
  team_id: string;
  service_ids_json: string;
  starts_at: number;
  ends_at: number;
  description: string;
  created_by: string;
  created_at: number;
}

export interface InhibitRulesTable {
  id: string;
  team_id: string;
  name: string;
  source_matchers_json: string;
  target_matchers_json: string;
  equal_json: string;
  created_at: number;
}

export interface EventRulesTable {
  id: string;
  team_id: string;
  position: number;
  name: string;
  matchers_json: string;
  actions_json: string;
  enabled: number;
  created_at: number;
}

export interface SchedulesTable {
  id: string;
  team_id: string;
  name: string;
  time_zone: string;
  layers_json: string;
  created_at: number;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_at: number;
  end_at: number;
  created_by: string;
  created_at: number;
}

export interface EscalationPoliciesTable {
  id: string;
  team_id: string;
  name: string;
  repeat_count: number;
  levels_json: string;
  created_at: number;
}

export interface EscalationsTable {
  id: string;
  incident_id: string;
  policy_id: string;
  level: number;
  round: number;
  epoch: number;
  next_at: number | null;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface NotificationIntentsTable {
  id: string;
  idempotency_key: string;
  incident_id: string;
  user_id: string;
  urgency: string;
  reason: string;
  level: number | null;
  round: number | null;
  message: string;
  created_at: number;
  read_at: number | null;
}

export interface OutboxMessagesTable {
  id: string;
  intent_id: string;
  contact_method_id: string | null;
  channel: string;
  send_at: number;
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: number | null;
  created_at: number;
  /** The vendor's id for the sent message (Slack `channel:ts`, Twilio SID). */
  provider_ref: Generated<string | null>;
  delivered_at: Generated<number | null>;
  /** The message whose failure this one falls back from. */
  fallback_from: Generated<string | null>;
  /** page | digest. */
  kind: Generated<string>;
  /** Digest: the folded messages' incidents, JSON. */
  digest_json: Generated<string | null>;
  /** The incident status the sent message shows (update in place when it differs). */
  rendered_status: Generated<string | null>;
  /** When a sender took the row (a crash leaves it `sending`; it is retried). */
  claimed_at: Generated<number | null>;
  /** A distribution list's address, when no contact method is behind the message. */
  address: Generated<string | null>;
}

export interface NotifierSettingsTable {
  id: string;
  enabled: number;
  /** Secret fields hold `enc:v1:` tokens (core/secrets). */
  config_json: string;
  updated_by: string;
  updated_at: number;
}

export interface DeliveryAttemptsTable {
  id: string;
  message_id: string;
  incident_id: string | null;
  user_id: string;
  channel: string;
  at: number;
  /** sent | delivered | retry | failed | dropped | deferred | digested | fallback. */
  outcome: string;
  status_code: number | null;
  detail: string | null;
}

export interface ActionTokensTable {
  id: string;
  token_hash: string;
  incident_id: string;
  user_id: string;
  action: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface NotifierHealthTable {
  notifier_id: string;
  consecutive_failures: number;
  failing_since: number | null;
  last_error: string | null;
  last_success_at: number | null;
  outage: number;
  updated_at: number;
}

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  type: string;
  label: string;
  address: string;
  verified_at: number | null;
  verification_hash: string | null;
  verification_expires_at: number | null;
  /** Wrong codes entered for the current code (migration 0012); five void it. */
  verification_attempts: Generated<number>;
  created_at: number;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  urgency: string;
  delay_minutes: number;
  created_at: number;
  /** 1: created by Tocsin at the first verified contact method; replaced by the person's own (0020). */
  is_default: Generated<number>;
}

export interface CalendarTokensTable {
  id: string;
  kind: string;
  subject_id: string;
  token_hash: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface EngineLeasesTable {
  module: string;
  holder: string;
  expires_at: number;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

/** Every table, by name. */
export interface Database {
  teams: TeamsTable;
  users: UsersTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  login_attempts: LoginAttemptsTable;
  services: ServicesTable;
  service_dependencies: ServiceDependenciesTable;
  integrations: IntegrationsTable;
  incidents: IncidentsTable;
  incident_timeline: IncidentTimelineTable;
  war_room_tries: WarRoomTriesTable;
  incident_services: IncidentServicesTable;
  incident_roles: IncidentRolesTable;
  incident_checklist: IncidentChecklistTable;
  incident_attachments: IncidentAttachmentsTable;
  incident_updates: IncidentUpdatesTable;
  subscriptions: SubscriptionsTable;
  tickets: TicketsTable;
  org_settings: OrgSettingsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  change_events: ChangeEventsTable;
  silences: SilencesTable;
  maintenance_windows: MaintenanceWindowsTable;
  inhibit_rules: InhibitRulesTable;
  event_rules: EventRulesTable;
  counters: CountersTable;
  schedules: SchedulesTable;
  schedule_overrides: ScheduleOverridesTable;
  escalation_policies: EscalationPoliciesTable;
  escalations: EscalationsTable;
  notification_intents: NotificationIntentsTable;
  outbox_messages: OutboxMessagesTable;
  notifier_settings: NotifierSettingsTable;
  delivery_attempts: DeliveryAttemptsTable;
  action_tokens: ActionTokensTable;
  notifier_health: NotifierHealthTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  calendar_tokens: CalendarTokensTable;
  engine_leases: EngineLeasesTable;
  app_meta: AppMetaTable;
  config_version: ConfigVersionTable;
}

/** One row (id 1): bumped by triggers whenever what ingesting caches changes (migration 0009). */
export interface ConfigVersionTable {
  id: number;
  version: number;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;

// ---- checks (migration 0006): merged into Database below by declaration merging.

export interface ChecksTable {
  id: string;
  team_id: string;
  service_id: string;
  name: string;
  kind: string;
  enabled: number;
  interval_ms: number;
  timeout_ms: number;
  grace_ms: number;
  cron: string | null;
  time_zone: string;
  failures_to_alert: number;
  successes_to_resolve: number;
  severity: string;
  allow_private: number;
  config_json: string;
  token_hash: string | null;
  token_prefix: string | null;
  state: string;
  state_changed_at: number | null;
  failures: number;
  failing_since: number | null;
  successes: number;
  passing_since: number | null;
  cert_warning: string | null;
  last_at: number | null;
  last_ok: number | null;
  last_latency_us: number | null;
  last_error: string | null;
  last_ping_at: number | null;
  next_run_at: number | null;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CheckResultsTable {
  check_id: string;
  at: number;
  scheduled_at: number | null;
  ok: number;
  latency_us: number | null;
  error: string | null;
  details_json: string | null;
}

export interface CheckRollupsTable {
  check_id: string;
  resolution_ms: number;
  bucket_at: number;
  count: number;
  failures: number;
  latency_count: number;
  latency_sum_us: number;
  latency_min_us: number | null;
  latency_max_us: number | null;
  histogram_json: string;
}

export interface CheckPeriodsTable {
  id: string;
  check_id: string;
  kind: string;
  started_at: number;
  ended_at: number | null;
  cause: string | null;
}

export interface CheckRollupMarksTable {
  resolution_ms: number;
  done_until: number;
}

/** The check tables (merged into {@link Database} above). */
export interface Database {
  checks: ChecksTable;
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  check_periods: CheckPeriodsTable;
  check_rollup_marks: CheckRollupMarksTable;
}

// ---- postmortems (migration 0008): merged into Database below by declaration merging.

export interface PostmortemsTable {
  id: string;
  incident_id: string;
  team_id: string;
  title: string;
  /** draft | in_review | published */
  status: string;
  /** Section id → Markdown. */
  sections_json: string;
  /** Title and sections lower-cased, for search. */
  search_text: string;
  review_meeting_at: number | null;
  version: number;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
  submitted_at: number | null;
  published_at: number | null;
  published_by: string | null;
}

export interface PostmortemReviewersTable {
  postmortem_id: string;
  user_id: string;
  /** pending | approved */
  state: string;
  requested_at: number;
  decided_at: number | null;
}

export interface PostmortemCommentsTable {
  id: string;
  postmortem_id: string;
  user_id: string | null;
  author_name: string;
  section: string | null;
  body: string;
  /** comment | approval | status */
  kind: string;
  created_at: number;
}

export interface ActionItemsTable {
  id: string;
  postmortem_id: string;
  incident_id: string;
  team_id: string;
  title: string;
  description: string;
  owner_id: string | null;
  /** high | medium | low */
  priority: string;
  due_at: number | null;
  /** open | in_progress | done | wont_do */
  status: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  remind_at: number | null;
  /** jira | github, once exported */
  tracker: string | null;
  external_key: string | null;
  external_url: string | null;
  external_state: string | null;
  synced_at: number | null;
  sync_at: number | null;
  sync_error: string | null;
}

export interface ServiceReviewsTable {
  id: string;
  service_id: string;
  team_id: string;
  /** burn_in | periodic */
  kind: string;
  due_at: number;
  /** open | done */
  status: string;
  checklist_json: string;
  notes: string;
  remind_at: number | null;
  created_at: number;
  done_at: number | null;
  done_by: string | null;
}

/** The postmortem tables (merged into {@link Database} above). */
export interface Database {
  postmortems: PostmortemsTable;
  postmortem_reviewers: PostmortemReviewersTable;
  postmortem_comments: PostmortemCommentsTable;
  action_items: ActionItemsTable;
  service_reviews: ServiceReviewsTable;
}

// ---- status pages (migration 0007): merged into Database by declaration merging.

export interface StatusPagesTable {
  id: string;
  team_id: string;
  slug: string;
  name: string;
  description: string;
  logo_url: string | null;
  brand_color: string;
  custom_domain: string | null;
  time_zone: string;
  /** public | password | ip */
  access: string;
  password_hash: string | null;
  ip_allow_json: string;
  /** Message templates changed from the defaults, by status (JSON); NULL = all defaults. */
  message_templates_json: string | null;
  created_at: number;
  updated_at: number;
}

export interface StatusComponentsTable {
  id: string;
  page_id: string;
  group_name: string | null;
  name: string;
  description: string;
  position: number;
  /** Set by hand; null: derived from linked incidents, checks and maintenance. */
  manual_status: string | null;
  service_ids_json: string;
  check_ids_json: string;
  created_at: number;
  updated_at: number;
}

export interface StatusEventsTable {
  id: string;
  page_id: string;
  /** incident | maintenance */
  kind: string;
  incident_id: string | null;
  title: string;
  status: string;
  impact: string;
  component_ids_json: string;
  scheduled_for: number | null;
  scheduled_until: number | null;
  auto_transition: number;
  notify_before_ms: number | null;
  notice_sent_at: number | null;
  /** The maintenance timer: the next automatic step (advance notice, start, end). */
  next_at: number | null;
  started_at: number | null;
  resolved_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface StatusUpdatesTable {
  id: string;
  event_id: string;
  status: string;
  body: string;
  created_by: string | null;
  created_at: number;
}

export interface StatusSubscribersTable {
  id: string;
  page_id: string;
  /** email | webhook */
  kind: string;
  address: string;
  /** null: every component. */
  component_ids_json: string | null;
  /** Webhook signing secret (encrypted). */
  secret: string | null;
  confirm_token_hash: string | null;
  /**
   * The component choice awaiting confirmation (applied when the link is followed); null:
   * nothing pending, the JSON `null`: every component.
   */
  pending_component_ids_json: Generated<string | null>;
  /** When the last confirmation mail was queued (cooldown, link expiry, unconfirmed expiry). */
  confirm_sent_at: Generated<number | null>;
  unsubscribe_token: string;
  confirmed_at: number | null;
  created_at: number;
}

export interface StatusNoticesTable {
  id: string;
  page_id: string;
  subscriber_id: string;
  dedup_key: string;
  payload_json: string;
  attempts: number;
  next_at: number | null;
  sent_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface Database {
  status_pages: StatusPagesTable;
  status_components: StatusComponentsTable;
  status_events: StatusEventsTable;
  status_updates: StatusUpdatesTable;
  status_subscribers: StatusSubscribersTable;
  status_notices: StatusNoticesTable;
}

// ---- re-judging muting (migration 0018): the `mute-rejudge` engine module's rows.

/** One team's muting fingerprint, next window boundary and re-judge requests (migration 0018). */
export interface MuteRejudgeTable {
  team_id: string;
  rules_hash: string;
  next_at: number | null;
  dirty: number;
  judged: number;
  scan_gen: number | null;
  cursor: string | null;
}

/** One row (id 1): the configuration counter the fingerprints were last compared at. */
export interface MuteRejudgeStateTable {
  id: number;
  config_version: number;
}

export interface Database {
  mute_rejudge: MuteRejudgeTable;
  mute_rejudge_state: MuteRejudgeStateTable;
}
