/** What the response domain needs of Slack to run a war room (app/ composes it from the Slack notifier). */
export interface WarRoomPort {
  /** Whether Slack is set up (a war room is not attempted otherwise). */
  available(): Promise<boolean>;
  /**
   * Creates the channel (a taken name gets a `-2`, `-3` … suffix), invites the people, posts the
   * summary and pins it. Never throws for Slack's errors: says what failed.
   */
  open(input: {
    name: string;
    topic: string;
    summary: string;
    slackUserIds: string[];
  }): Promise<{ ok: true; channelId: string; channelName: string } | { ok: false; reason: string }>;
}

/** A parsed `/tocsin …` slash command. */
export type SlashCommand =
  | { verb: 'ack' | 'mitigated' | 'resolve' | 'help'; number?: number }
  | { verb: 'sev'; severity: 'SEV1' | 'SEV2' | 'SEV3'; number?: number }
  | {
      verb: 'role';
      role: 'commander' | 'communications' | 'recovery' | 'root_cause';
      slackUserId: string | 'me';
      number?: number;
    }
  | { verb: 'note' | 'update'; text: string; number?: number }
  | { verb: 'declare'; severity: 'SEV1' | 'SEV2' | 'SEV3'; title: string; service?: string };

const roleWords: Record<string, 'commander' | 'communications' | 'recovery' | 'root_cause'> = {
  commander: 'commander',
  ic: 'commander',
  lead: 'commander',
  comms: 'communications',
  communications: 'communications',
  recovery: 'recovery',
  rootcause: 'root_cause',
  'root-cause': 'root_cause',
  root_cause: 'root_cause',
  rca: 'root_cause',
};

/**
 * Parses the text after `/tocsin`: `ack`, `mitigated`, `resolve`, `sev 2`, `role commander
 * @ana` (Slack sends mentions as `<@U123|ana>`), `note …`, `update …`, `declare sev2
 * [service:<name>] …`, `help`.
 * Outside a war room a `#123` names the incident. Returns an error line for anything else.
 */
export function parseSlashCommand(text: string): SlashCommand | { error: string } {
  let rest = text.trim();
  let number: number | undefined;
  const num = /(^|\s)#(\d{1,9})(?=\s|$)/.exec(rest);
  const verbOf = (s: string) => s.split(/\s+/)[0]!.toLowerCase();
  const verb = verbOf(rest);
  if (num && verb !== 'declare' && verb !== 'note' && verb !== 'update') {
    number = Number(num[2]);
    rest = (rest.slice(0, num.index) + rest.slice(num.index + num[0].length)).trim();
  } else if (num && /^(note|update)\s+#\d+\s/.test(rest)) {
    number = Number(num[2]);
    rest = rest.replace(/#\d+\s+/, '');
  }
  const args = rest.slice(verb.length).trim();
  const withNumber = <T extends object>(o: T) => (number === undefined ? o : { ...o, number });
  switch (verb) {
    case '':
    case 'help':
      return { verb: 'help' };
    case 'ack':
    case 'acknowledge':
      return withNumber({ verb: 'ack' as const });
    case 'mitigated':
    case 'mitigate':
      return withNumber({ verb: 'mitigated' as const });
    case 'resolve':
    case 'resolved':
      return withNumber({ verb: 'resolve' as const });
    case 'sev':
    case 'severity': {
      const m = /^(?:sev)?\s*([123])$/i.exec(args);
      if (!m) return { error: 'Usage: /tocsin sev 1|2|3' };
      return withNumber({ verb: 'sev' as const, severity: `SEV${m[1]}` as 'SEV1' });
    }
    case 'role': {
      const [word, who] = args.split(/\s+/);
      const role = roleWords[(word ?? '').toLowerCase()];
      const mention = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(who ?? '');
      if (!role || !(mention || who === 'me'))
        return { error: 'Usage: /tocsin role commander|comms|recovery|rootcause @person|me' };
      return withNumber({ verb: 'role' as const, role, slackUserId: mention ? mention[1]! : 'me' });
    }
    case 'note':
    case 'update':
      if (!args) return { error: `Usage: /tocsin ${verb} <text>` };
      return withNumber({ verb, text: args });
    case 'declare': {
      // `service:Checkout` or `service:"Web frontend"`, anywhere after the verb.
      const svc = /(^|\s)service:(?:"([^"]+)"|(\S+))/i.exec(args);
      const service = svc ? (svc[2] ?? svc[3])!.trim() : undefined;
      const rest = svc
        ? `${args.slice(0, svc.index)} ${args.slice(svc.index + svc[0].length)}`.trim()
        : args;
      const m = /^(?:sev\s*)?([123])\s+(.+)$/is.exec(rest);
      if (!m) return { error: 'Usage: /tocsin declare sev1|sev2|sev3 [service:<name>] <title>' };
      return {
        verb: 'declare',
        severity: `SEV${m[1]}` as 'SEV1',
        title: m[2]!.trim(),
        ...(service ? { service } : {}),
      };
    }
    default:
      return { error: `Unknown command "${verb}". Try /tocsin help` };
  }
}

/** The help text for `/tocsin help`. */
export const slashHelp = [
  '*/tocsin* commands (in an incident channel, or add #number elsewhere):',
  '`ack` · `mitigated` · `resolve` · `sev 1|2|3` · `role commander|comms|recovery|rootcause @person|me`',
  '`note <text>` · `update <text>` (stakeholder update) · `declare sev1|2|3 [service:<name>] <title>` · `help`',
].join('\n');
