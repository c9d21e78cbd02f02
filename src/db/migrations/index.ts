import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-signals.js';
import * as m0003 from './0003-oncall.js';
import * as m0004 from './0004-notifications.js';
import * as m0005 from './0005-response.js';
import * as m0006 from './0006-checks.js';
import * as m0007 from './0007-statuspages.js';
import * as m0008 from './0008-postmortems.js';
import * as m0009 from './0009-config-version.js';
import * as m0010 from './0010-incident-open-path.js';
import * as m0011 from './0011-status-message-templates.js';
import * as m0012 from './0012-contact-code-attempts.js';
import * as m0013 from './0013-acknowledged-by-id.js';
import * as m0014 from './0014-status-subscriber-confirmations.js';
import * as m0015 from './0015-war-room-retries.js';
import * as m0016 from './0016-timeline-order.js';
import * as m0017 from './0017-batch-source-rate-limits.js';
import * as m0018 from './0018-mute-rejudge.js';
import * as m0019 from './0019-incident-retrigger.js';
import * as m0020 from './0020-default-notification-rules.js';

/**
 * Every migration, in order. One set serves SQLite and Postgres: migrations use only the schema
 * builder's portable column types (text, integer, bigint). Adding one = one file + one line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-signals': m0002,
  '0003-oncall': m0003,
  '0004-notifications': m0004,
  '0005-response': m0005,
  '0006-checks': m0006,
  '0007-statuspages': m0007,
  '0008-postmortems': m0008,
  '0009-config-version': m0009,
  '0010-incident-open-path': m0010,
  '0011-status-message-templates': m0011,
  '0012-contact-code-attempts': m0012,
  '0013-acknowledged-by-id': m0013,
  '0014-status-subscriber-confirmations': m0014,
  '0015-war-room-retries': m0015,
  '0016-timeline-order': m0016,
  '0017-batch-source-rate-limits': m0017,
  '0018-mute-rejudge': m0018,
  '0019-incident-retrigger': m0019,
  '0020-default-notification-rules': m0020,
};
