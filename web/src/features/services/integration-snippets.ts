import type { IntegrationType } from '../../api/types';

export const INTEGRATION_TYPE_LABELS: Record<IntegrationType, string> = {
  'pagerduty-v2': 'PagerDuty Events v2',
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
  generic: 'Generic webhook',
  email: 'Email',
};

/** The generic webhook's mapping, prefilled as an example: JSONPath into the sender's body. */
export const GENERIC_MAPPING_EXAMPLE = {
  summary: '$.title',
  severity: '$.level',
  dedupKey: '$.id',
  action: '$.state',
  defaults: { severity: 'error', action: 'trigger' },
  actionMap: { ok: 'resolve', alerting: 'trigger' },
};

/** A piece of configuration to copy into the sending tool. */
export interface Snippet {
  /** Also the copy button's accessible name: "Copy <title>". */
  title: string;
  description?: string;
  code: string;
}

interface Origin {
  /** `https://tocsin.example.com` */
  origin: string;
  /** `http` or `https` */
  scheme: string;
  /** `tocsin.example.com:443`: host and port, the port spelled out. */
  hostPort: string;
}

function parseOrigin(origin: string): Origin {
  const url = new URL(origin);
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port || (scheme === 'https' ? '443' : '80');
  return { origin: url.origin, scheme, hostPort: `${url.hostname}:${port}` };
}

/** A JSON value inside a single-quoted shell argument. */
function shellJson(value: unknown): string {
  return JSON.stringify(value).replace(/'/g, `'\\''`);
}

function pagerDutyCurl(o: Origin, key: string): Snippet {
  const body = {
    routing_key: key,
    event_action: 'trigger',
    payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical' },
  };
  return {
    title: 'curl (PagerDuty Events API v2)',
    description:
      'Sends a test alert. Use event_action "resolve" with the same dedup_key to close it.',
    code: `curl -X POST ${o.origin}/v2/enqueue -H 'content-type: application/json' -d '${shellJson(body)}'`,
  };
}

function alertmanagerPagerDuty(o: Origin, key: string): Snippet {
  return {
    title: 'Alertmanager pagerduty_configs',
    description: 'For a receiver in alertmanager.yml that already speaks PagerDuty.',
    code: [
      'receivers:',
      '  - name: tocsin',
      '    pagerduty_configs:',
      `      - routing_key: ${key}`,
      `        url: ${o.origin}/v2/enqueue`,
      '        send_resolved: true',
      "        severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}error{{ end }}'",
    ].join('\n'),
  };
}

function alertmanagerWebhook(o: Origin, key: string): Snippet {
  return {
    title: 'Alertmanager webhook_configs',
    description: 'A receiver in alertmanager.yml; route the alerts you want in Tocsin to it.',
    code: [
      'receivers:',
      '  - name: tocsin',
      '    webhook_configs:',
      `      - url: ${o.origin}/api/integrations/alertmanager/${key}`,
      '        send_resolved: true',
    ].join('\n'),
  };
}

function prometheusAlerting(o: Origin, key: string): Snippet {
  return {
    title: 'Prometheus alerting block',
    description:
      'Or let Prometheus send straight to Tocsin, which answers as an Alertmanager (prometheus.yml).',
    code: [
      'alerting:',
      '  alertmanagers:',
      `    - scheme: ${o.scheme}`,
      '      api_version: v2',
      `      path_prefix: /api/integrations/alertmanager/${key}`,
      '      static_configs:',
      `        - targets: ['${o.hostPort}']`,
    ].join('\n'),
  };
}

function grafanaContactPoint(o: Origin, key: string): Snippet[] {
  const url = `${o.origin}/api/integrations/grafana/${key}`;
  return [
    {
      title: 'Grafana webhook URL',
      description:
        'In Grafana: Alerting → Contact points → Add contact point, integration "Webhook", method POST, this URL.',
      code: url,
    },
    {
      title: 'Grafana contact point provisioning',
      description: 'The same contact point as a provisioning file.',
      code: [
        'apiVersion: 1',
        'contactPoints:',
        '  - orgId: 1',
        '    name: Tocsin',
        '    receivers:',
        '      - uid: tocsin',
        '        type: webhook',
        '        settings:',
        `          url: ${url}`,
        '          httpMethod: POST',
      ].join('\n'),
    },
  ];
}

const SAMPLE_VALUES: Record<string, string> = {
  summary: 'Disk full on db-1',
  severity: 'critical',
  dedupKey: 'db-1-disk',
  source: 'db-1',
};

/**
 * An example body for the generic webhook: where the mapping reads a top-level field
 * (`$.title`), the sample puts a value there; otherwise the prefilled example's shape.
 */
function genericSample(config: unknown): Record<string, string> {
  const mapping = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const actionMap = (mapping.actionMap ?? {}) as Record<string, unknown>;
  const triggerWord = Object.keys(actionMap).find((k) => actionMap[k] === 'trigger');
  const sample: Record<string, string> = {};
  for (const field of ['summary', 'severity', 'dedupKey', 'source', 'action']) {
    const path = mapping[field];
    const match = typeof path === 'string' ? /^\$\.([A-Za-z_][\w-]*)$/.exec(path) : null;
    if (!match?.[1]) continue;
    sample[match[1]] =
      field === 'action' ? (triggerWord ?? 'trigger') : (SAMPLE_VALUES[field] ?? '');
  }
  return Object.keys(sample).length
    ? sample
    : { title: 'Disk full on db-1', level: 'critical', id: 'db-1-disk', state: 'alerting' };
}

function genericCurl(o: Origin, key: string, config: unknown): Snippet {
  return {
    title: 'curl (generic webhook)',
    description: 'Sends a test event; the mapping turns the body into an alert.',
    code: `curl -X POST ${o.origin}/api/integrations/generic/${key} -H 'content-type: application/json' -d '${shellJson(genericSample(config))}'`,
  };
}

function emailAddress(key: string): Snippet {
  return {
    title: 'Email address',
    description:
      'Mail to this address becomes an alert: the subject is the summary, [critical] / [error] / [warning] / [info] in it sets the severity, a leading "RESOLVED:" resolves. <domain> is the server’s inbound mail domain (TOCSIN_SMTP_IN_DOMAIN, tocsin.local unless configured); the mail listener must be on (TOCSIN_SMTP_IN_PORT).',
    code: `${key}@<domain>`,
  };
}

/** What to paste where, for an integration of `type` whose key is `key`. */
export function integrationSnippets(
  type: IntegrationType,
  key: string,
  origin: string,
  config?: unknown,
): Snippet[] {
  const o = parseOrigin(origin);
  switch (type) {
    case 'pagerduty-v2':
      return [pagerDutyCurl(o, key), alertmanagerPagerDuty(o, key)];
    case 'alertmanager':
      return [alertmanagerWebhook(o, key), prometheusAlerting(o, key)];
    case 'grafana':
      return grafanaContactPoint(o, key);
    case 'generic':
      return [genericCurl(o, key, config)];
    case 'email':
      return [emailAddress(key)];
    default:
      return [];
  }
}
