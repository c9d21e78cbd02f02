import { z } from 'zod';
import { severities } from '../alerts/index.js';
import { checkKinds, checkStates } from './check.js';

/*
 * One zod schema per input, shared by HTTP, the CLI and tests. Each kind's `config` has its own
 * schema; the probe (integrations/checkers) may refuse more (a JSON path that does not parse).
 */

const id = z.string().min(1).max(64);

/** `GET /api/checks`, `tocsin check list`. */
export const checkQuerySchema = z.object({
  teamId: id.optional(),
  serviceId: id.optional(),
  kind: z.enum(checkKinds).optional(),
  state: z.enum(checkStates).optional(),
});
export type CheckQuery = z.infer<typeof checkQuerySchema>;

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'is not a header name');
/** `200`, `2xx`, or `200-299`. */
const statusPattern = z
  .string()
  .regex(/^([1-5]\d\d|[1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, 'must be like 200, 2xx or 200-299');

/** HTTP(S): request, and what counts as up. */
export const httpConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z
    .record(headerName, z.string().max(4096))
    .refine((h) => Object.keys(h).length <= 50, 'at most 50 headers')
    .default({}),
  body: z
    .string()
    .max(64 * 1024)
    .nullable()
    .default(null),
  /** Status codes that count as up; default 200-399 (after redirects, when followed). */
  expectStatus: z.array(statusPattern).min(1).max(20).default(['200-399']),
  /** Text that must be in the body (or must not, with keywordAbsent). */
  keyword: z.string().min(1).max(1000).nullable().default(null),
  keywordAbsent: z.boolean().default(false),
  /** A JSON-path assertion on the body: `$.status` equals "ok", `$.queue` lt 100, … */
  jsonPath: z
    .object({
      path: z.string().min(1).max(256),
      op: z.enum(['exists', 'equals', 'notEquals', 'contains', 'lt', 'gt']).default('equals'),
      value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]).optional(),
    })
    .nullable()
    .default(null),
  /** Slower than this counts as down. */
  maxLatencyMs: z.int().min(1).max(60_000).nullable().default(null),
  followRedirects: z.boolean().default(true),
  maxRedirects: z.int().min(0).max(10).default(5),
  /** https: warn (a warning alert) this many days before the certificate expires; 0 = off. */
  certExpiryDays: z.int().min(0).max(365).default(14),
  /** https: refuse invalid certificates (expired, wrong name, unknown issuer). */
  verifyTls: z.boolean().default(true),
});
export type HttpCheckConfig = z.infer<typeof httpConfigSchema>;

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a host name or an IP address');
const port = z.int().min(1).max(65535);

/** TCP: a connection opens within the timeout. */
export const tcpConfigSchema = z.object({ host, port });
export type TcpCheckConfig = z.infer<typeof tcpConfigSchema>;

/** TLS: a handshake completes and the certificate is valid (and not about to expire). */
export const tlsConfigSchema = z.object({
  host,
  port: port.default(443),
  /** SNI and the name the certificate must carry; default: host. */
  servername: z.string().trim().min(1).max(253).nullable().default(null),
  certExpiryDays: z.int().min(0).max(365).default(14),
  verifyTls: z.boolean().default(true),
});
export type TlsCheckConfig = z.infer<typeof tlsConfigSchema>;

/** DNS record types the DNS check can ask for. */
export const dnsRecordTypes = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'NS',
  'TXT',
  'SRV',
  'CAA',
  'SOA',
  'PTR',
] as const;

/** DNS: the name resolves, optionally to the expected answers. */
export const dnsConfigSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9._*-]+\.?$/, 'must be a domain name'),
  recordType: z.enum(dnsRecordTypes).default('A'),
  /** Answers to look for (`93.184.215.14`, `10 mx.example.com`); empty: any answer is up. */
  expected: z.array(z.string().trim().min(1).max(1000)).max(50).default([]),
  /** `contains`: every expected answer is among the answers; `exact`: the same set. */
  match: z.enum(['contains', 'exact']).default('contains'),
  /** A nameserver to ask (`1.1.1.1`, `[2606:4700::1111]:53`); default: the system resolver. */
  nameserver: z.string().trim().min(1).max(100).nullable().default(null),
});
export type DnsCheckConfig = z.infer<typeof dnsConfigSchema>;

/** ICMP ping through the system's `ping`. */
export const pingConfigSchema = z.object({
  host,
  /** Echo requests per run; up when at least one answer comes back. */
  count: z.int().min(1).max(10).default(3),
  /** Packet loss above this percentage counts as down. */
  maxLossPercent: z.int().min(0).max(100).default(99),
});
export type PingCheckConfig = z.infer<typeof pingConfigSchema>;

/** Heartbeats have no config of their own (schedule fields are on the check). */
export const heartbeatConfigSchema = z.object({}).strip();

/** Each kind's config schema. */
export const configSchemas = {
  http: httpConfigSchema,
  tcp: tcpConfigSchema,
  tls: tlsConfigSchema,
  dns: dnsConfigSchema,
  ping: pingConfigSchema,
  heartbeat: heartbeatConfigSchema,
} as const;

const name = z.string().trim().min(1).max(200);
const interval = z.int().min(10).max(86_400);
const common = {
  serviceId: id,
  name,
  enabled: z.boolean().default(true),
  failuresToAlert: z.int().min(1).max(20).optional(),
  successesToResolve: z.int().min(1).max(20).default(1),
  severity: z.enum(severities).default('critical'),
  /** Reach private addresses (org admins only). */
  allowPrivate: z.boolean().default(false),
};
const probeCommon = {
  ...common,
  intervalSeconds: interval.default(60),
  /** At most the interval (checked by the service). */
  timeoutSeconds: z.int().min(1).max(60).default(10),
};

/** A time zone name; checked against Temporal by the service. */
const timeZone = z.string().min(1).max(64).default('UTC');

/** `POST /api/checks`: a check of one kind, with that kind's config. */
export const createCheckSchema = z.discriminatedUnion('kind', [
  z.object({
    ...probeCommon,
    kind: z.literal('http'),
    config: httpConfigSchema,
    /**
     * `POST /api/checks/test` only ("test now" in the edit form): header values sent as the mask
     * are this saved check's. Refused when creating.
     */
    checkId: id.optional(),
  }),
  z.object({ ...probeCommon, kind: z.literal('tcp'), config: tcpConfigSchema }),
  z.object({ ...probeCommon, kind: z.literal('tls'), config: tlsConfigSchema }),
  z.object({ ...probeCommon, kind: z.literal('dns'), config: dnsConfigSchema }),
  z.object({ ...probeCommon, kind: z.literal('ping'), config: pingConfigSchema }),
  z.object({
    ...common,
    kind: z.literal('heartbeat'),
    /** Expected period between pings (ignored with cron): 10 s to 35 days. */
    intervalSeconds: z
      .int()
      .min(10)
      .max(35 * 86_400)
      .default(3600),
    graceSeconds: z
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(300),
    cron: z.string().trim().min(1).max(200).nullable().default(null),
    timeZone,
    config: heartbeatConfigSchema.default({}),
  }),
]);
export type CreateCheckInput = z.input<typeof createCheckSchema>;
export type CreateCheck = z.infer<typeof createCheckSchema>;

/** `PATCH /api/checks/:id`: any field but the kind; `config` keys replace the stored ones. */
export const updateCheckSchema = z.object({
  serviceId: id.optional(),
  name: name.optional(),
  enabled: z.boolean().optional(),
  intervalSeconds: z
    .int()
    .min(10)
    .max(35 * 86_400)
    .optional(),
  timeoutSeconds: z.int().min(1).max(60).optional(),
  graceSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
  cron: z.string().trim().min(1).max(200).nullable().optional(),
  timeZone: z.string().min(1).max(64).optional(),
  failuresToAlert: z.int().min(1).max(20).optional(),
  successesToResolve: z.int().min(1).max(20).optional(),
  severity: z.enum(severities).optional(),
  allowPrivate: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateCheckInput = z.infer<typeof updateCheckSchema>;

const time = z.coerce.number().int().min(0);

/** `?from=&to=` (ms); both optional. */
export const rangeQuerySchema = z.object({ from: time.optional(), to: time.optional() });
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

/** `GET /api/checks/:id/results`: newest first, `before` pages back. */
export const resultsQuerySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  before: time.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Only failures. */
  failed: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional(),
});
export type ResultsQuery = z.infer<typeof resultsQuerySchema>;
