import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  parseSlackEvent,
  parseSlackInteraction,
  parseSlashCommandRequest,
  slackCommandReply,
  slackEphemeral,
  verifySlackSignature,
} from '../../integrations/notifiers/slack/slack.inbound.js';
import {
  parseSmsReply,
  parseStatusCallback,
  parseVoiceDigits,
  twimlMessage,
  twimlSay,
  verifyTwilioSignature,
} from '../../integrations/notifiers/twilio/twilio.inbound.js';
import type { RouteDeps } from './route-deps.js';

const limit = 64 * 1024;

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A tiny self-contained page (no assets) for the email links. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Tocsin</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a"><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * Where pages are answered from outside Tocsin: Slack buttons, SMS replies, call key presses,
 * Twilio delivery receipts, one-click email links; and the war room's Slack traffic (channel
 * messages from the Events API, `/tocsin` slash commands). None of these carry a session: each
 * request is authenticated by the vendor's signature over the raw body (Slack v0,
 * X-Twilio-Signature) with the notifier's stored secret, or by the single-use link token, and
 * the person behind it is then checked like any other actor before anything happens.
 */
export async function registerNotifyInboundRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
): Promise<void> {
  const { notifications: n, publicUrl } = deps;
  const { logger, clock } = deps.sourceContext;

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
    const raw = (request: FastifyRequest) =>
      Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const form = (request: FastifyRequest) =>
      Object.fromEntries(new URLSearchParams(raw(request).toString('utf8')));
    const header = (request: FastifyRequest, name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    /** The URL Twilio signed: the public URL when configured (a proxy changes the host). */
    const twilioUrl = (request: FastifyRequest) =>
      publicUrl
        ? `${publicUrl.replace(/\/$/, '')}${request.url}`
        : `${request.protocol}://${request.host}${request.url}`;
    const options = {
      bodyLimit: limit,
      config: { keyAuthenticated: true },
      schema: { hide: true },
    };

    const twilioVerified = async (request: FastifyRequest, reply: FastifyReply) => {
      const channel = request.url.includes('/voice') ? 'voice' : 'sms';
      const settings =
        (await n.settings.configOf(channel)) ??
        (await n.settings.configOf(channel === 'sms' ? 'voice' : 'sms'));
      const authToken = settings?.config.authToken;
      const params = form(request);
      if (
        typeof authToken !== 'string' ||
        !verifyTwilioSignature({
          url: twilioUrl(request),
          params,
          signature: header(request, 'x-twilio-signature'),
          authToken,
        })
      ) {
        void reply.status(403).type('text/plain').send('invalid signature');
        return undefined;
      }
      return params;
    };

    /**
     * Every Slack request (interactions, events, slash commands) is signed the same way (v0,
     * 5-minute window) with the app's signing secret from the Slack notifier's settings. On a
     * refusal this answers 401 and returns false.
     */
    const slackVerified = async (
      request: FastifyRequest,
      reply: FastifyReply,
      what: string,
    ): Promise<boolean> => {
      const settings = await n.settings.configOf('slack');
      const secret = settings?.config.signingSecret;
      const check =
        typeof secret === 'string'
          ? verifySlackSignature({
              rawBody: raw(request),
              timestamp: header(request, 'x-slack-request-timestamp'),
              signature: header(request, 'x-slack-signature'),
              signingSecret: secret,
              now: clock.now(),
            })
          : { ok: false as const, reason: 'Slack is not configured' };
      if (check.ok) return true;
      logger.warn({ reason: check.reason }, `slack ${what} rejected`);
      void reply
        .status(401)
        .send({ error: { code: 'SLACK_SIGNATURE_INVALID', message: check.reason } });
      return false;
    };

    scope.post('/api/notify/slack/interactions', options, async (request, reply) => {
      if (!(await slackVerified(request, reply, 'interaction'))) return reply;
      const interaction = parseSlackInteraction(raw(request));
      if (!interaction.ok) return reply.status(200).send(slackEphemeral(interaction.reason));
      const userId = await n.actions.userByAddress('slack', interaction.slackUserId);
      if (!userId)
        return reply
          .status(200)
          .send(
            slackEphemeral(
              'Your Slack account is not linked to a Tocsin user: add it as a Slack contact method in Tocsin and verify it.',
            ),
          );
      const result = await n.actions.act(
        userId,
        interaction.incidentId,
        interaction.action,
        'slack',
      );
      return reply.status(200).send(slackEphemeral(result.message));
    });

    // The Events API: the URL handshake, and messages in war-room channels onto the timeline.
    // Slack wants a 2xx within 3 seconds or it retries (X-Slack-Retry-Num, up to 3 times); the
    // one insert is well inside that. A retry is handled like the first delivery: the response
    // domain skips a message whose channel and ts are already on the timeline, so a retry of a
    // delivery that did land adds nothing, and one that did not (an error here) still lands.
    scope.post('/api/notify/slack/events', options, async (request, reply) => {
      if (!(await slackVerified(request, reply, 'event'))) return reply;
      const event = parseSlackEvent(raw(request));
      if (event.kind === 'challenge') return reply.status(200).send({ challenge: event.challenge });
      if (event.kind === 'message') {
        const { kind: _kind, ...message } = event;
        await deps.response.recordChatMessage(message);
      } else logger.debug({ why: event.why }, 'slack event ignored');
      return reply.status(200).send();
    });

    // `/tocsin …`: run as the Tocsin user behind the Slack account, answered only to them.
    scope.post('/api/notify/slack/commands', options, async (request, reply) => {
      const body = raw(request);
      // Slack's certificate probe carries no command: a 200 is all it wants; it acts on nothing.
      if (new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1')
        return reply.status(200).send();
      if (!(await slackVerified(request, reply, 'slash command'))) return reply;
      const command = parseSlashCommandRequest(body);
      if (!command.ok) return reply.status(200).send(slackCommandReply(command.reason));
      try {
        const text = await deps.response.runSlashCommand({
          channelId: command.channelId,
          slackUserId: command.slackUserId,
          text: command.text,
        });
        return reply.status(200).send(slackCommandReply(text));
      } catch (err) {
        // An unexpected failure still gets an answer: Slack shows its own cryptic error otherwise.
        logger.error({ err }, 'slack slash command failed');
        return reply
          .status(200)
          .send(slackCommandReply('Tocsin could not run that command; see the server log.'));
      }
    });

    scope.post('/api/notify/twilio/sms', options, async (request, reply) => {
      const params = await twilioVerified(request, reply);
      if (!params) return reply;
      const answer = (text: string) => reply.status(200).type('text/xml').send(twimlMessage(text));
      const parsed = parseSmsReply(params.Body ?? '');
      if (!parsed)
        return answer(
          'Tocsin: reply 4 to acknowledge or 6 to resolve (optionally with the incident number, e.g. "ack 123").',
        );
      const userId = await n.actions.userByAddress('sms', params.From ?? '');
      if (!userId) return answer('Tocsin: this number is not a verified contact method.');
      const incidentId = await n.actions.incidentFor(userId, parsed.incidentNumber, parsed.action);
      if (!incidentId) return answer('Tocsin: no such open incident.');
      return answer(
        `Tocsin: ${(await n.actions.act(userId, incidentId, parsed.action, 'sms')).message}`,
      );
    });

    scope.post('/api/notify/twilio/voice', options, async (request, reply) => {
      const params = await twilioVerified(request, reply);
      if (!params) return reply;
      const say = (text: string) => reply.status(200).type('text/xml').send(twimlSay(text));
      const action = parseVoiceDigits(params.Digits);
      const incidentId = (request.query as Record<string, string | undefined>).incident;
      if (!action || !incidentId) return say('No valid choice. Goodbye.');
      const userId = await n.actions.userByAddress('voice', params.To ?? '');
      if (!userId) return say('This number is not a verified contact method. Goodbye.');
      return say(`${(await n.actions.act(userId, incidentId, action, 'voice')).message}. Goodbye.`);
    });

    scope.post('/api/notify/twilio/status', options, async (request, reply) => {
      const params = await twilioVerified(request, reply);
      if (!params) return reply;
      const s = parseStatusCallback(params);
      if (s)
        await n.delivery.recordReceipt(
          s.sid,
          s.status,
          s.errorCode ? `error ${s.errorCode}` : undefined,
        );
      return reply.status(204).send();
    });

    scope.get('/api/notify/links/:token', options, async (request, reply) => {
      const { token } = request.params as { token: string };
      const peek = await n.actions.peekLink(token);
      void reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      if (!peek)
        return reply
          .status(410)
          .send(
            page('This link has expired or was used', '<p>Open Tocsin to see the incident.</p>'),
          );
      const verb = peek.action === 'resolve' ? 'Resolve' : 'Acknowledge';
      // GET never acts: mail scanners fetch links. One button press (POST) does.
      return reply.send(
        page(
          `${verb} incident #${peek.incidentNumber}`,
          `<p>${escapeHtml(peek.title)}</p><form method="post"><button type="submit" style="font-size:1.1rem;padding:.7rem 1.4rem;background:#1c4fd8;color:#fff;border:0;border-radius:6px">${verb}</button></form>`,
        ),
      );
    });

    scope.post('/api/notify/links/:token', options, async (request, reply) => {
      const { token } = request.params as { token: string };
      const result = await n.actions.redeemLink(token);
      return reply
        .status(result.ok ? 200 : 410)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          page(result.ok ? 'Done' : 'Nothing was done', `<p>${escapeHtml(result.message)}</p>`),
        );
    });
  });
}
