import type { OutboundMessage, SendOutcome } from './notification.js';

/** How a notifier behaves, for the UI and the delivery code. */
export interface NotifierCapabilities {
  /** The address a contact method of this type holds. */
  addressKind: 'email' | 'phone' | 'slack' | 'url';
  /** Can re-render a sent message when the incident changes (Slack chat.update). */
  updateInPlace: boolean;
  /** The vendor reports delivery later (Twilio status callbacks). */
  deliveryReceipts: boolean;
  /** The recipient can act from the message (buttons, reply codes, key presses, links). */
  interactive: boolean;
}

/** A notifier as the domain knows it: no vendor code, only what settings and the UI need. */
export interface NotifierEntry {
  id: string;
  label: string;
  secretFields: readonly string[];
  capabilities: NotifierCapabilities;
}

/**
 * The notifiers app/ composes from integrations/notifiers (the domain never imports vendor
 * code). `parseConfig` validates a notifier's settings with its schema and throws AppError
 * naming the field; `send`/`update` call the vendor with decrypted settings.
 */
export interface NotifierCatalog {
  entries(): NotifierEntry[];
  parseConfig(id: string, raw: unknown): Record<string, unknown>;
  send(id: string, config: Record<string, unknown>, message: OutboundMessage): Promise<SendOutcome>;
  update(
    id: string,
    config: Record<string, unknown>,
    providerRef: string,
    message: OutboundMessage,
  ): Promise<SendOutcome>;
}

/** What delivery calls: a channel's notifier with its current settings applied. */
export interface NotifierPort {
  send(channel: string, message: OutboundMessage): Promise<SendOutcome>;
  update(channel: string, providerRef: string, message: OutboundMessage): Promise<SendOutcome>;
  /** Channels whose sent messages can be re-rendered in place. */
  updatableChannels(): string[];
}

/** Encrypts settings' secrets at rest (core/secrets' box). */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** True when the token was made with the current (first) key. */
  isCurrent(token: string): boolean;
}
