import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AlertsService } from '../../domains/alerts/index.js';
import type { AuditService } from '../../domains/audit/index.js';
import type { ChecksService } from '../../domains/checks/index.js';
import type { AuthService, TeamsService, UsersService } from '../../domains/identity/index.js';
import type { IncidentsService } from '../../domains/incidents/index.js';
import type { IntegrationsService } from '../../domains/integrations/index.js';
import type { MutingService } from '../../domains/muting/index.js';
import type {
  CalendarService,
  EscalationService,
  NotificationPrefsService,
  SchedulesService,
} from '../../domains/oncall/index.js';
import type {
  DeliveryService,
  NotificationActionsService,
  NotifierPort,
  NotifierSettingsService,
} from '../../domains/notifications/index.js';
import type { PostmortemsService, ServiceReviewsService } from '../../domains/postmortems/index.js';
import type { ReportsService } from '../../domains/reports/index.js';
import type { ResponseService } from '../../domains/response/index.js';
import type { ServicesService } from '../../domains/services/index.js';
import type {
  StatusPagesService,
  StatusSubscribersService,
} from '../../domains/statuspages/index.js';
import type { SourceContext } from '../../integrations/sources/source.js';
import type { SecretsPort } from '../../core/secrets.js';

/** Fastify with zod schemas as the type provider. */
export type Http = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The use cases routes call. Routes stay thin: parse → service → shape. */
export interface RouteDeps {
  auth: AuthService;
  users: UsersService;
  teams: TeamsService;
  services: ServicesService;
  audit: AuditService;
  integrations: IntegrationsService;
  alerts: AlertsService;
  incidents: IncidentsService;
  muting: MutingService;
  schedules: SchedulesService;
  escalation: EscalationService;
  notifyPrefs: NotificationPrefsService;
  calendar: CalendarService;
  response: ResponseService;
  /** Postmortems, reviews, action items and their tracker export. */
  postmortems: PostmortemsService;
  /** Burn-in and periodic service reviews. */
  serviceReviews: ServiceReviewsService;
  /** MTTA / MTTR, availability, noise, on-call load, overdue action items. */
  reports: ReportsService;
  /** Checks and heartbeats. */
  checks: ChecksService;
  /** Status pages (admin and the cached public side). */
  statusPages: StatusPagesService;
  /** Status page subscriptions (public) and the subscriber list (admin). */
  statusSubscribers: StatusSubscribersService;
  /** Every stored secret re-encrypted with the current key. */
  secrets: SecretsPort;
  /** Notifier settings, delivery, and actions from where pages land. */
  notifications: {
    settings: NotifierSettingsService;
    delivery: DeliveryService;
    actions: NotificationActionsService;
    port: NotifierPort;
  };
  /** TOCSIN_PUBLIC_URL: the URL vendors sign callbacks against. */
  publicUrl: string | undefined;
  /** What inbound sources call (ingest port, clock, logger). */
  sourceContext: SourceContext;
  /** Set the session cookie's Secure flag regardless of the request (public URL is https). */
  secureCookies: boolean;
}
