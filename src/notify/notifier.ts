import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { type RollbackNotice, rollbackRecipients } from './rollback-notice.ts';
import { slackMessage } from './slack-message.ts';

const TIMEOUT_MS = 10_000;

export interface Notifier {
  /** Waits for every notification sent so far (called before the command exits). */
  flush(): Promise<void>;
  detach(): void;
  /**
   * Sends a finished rollback's notice (Slack's line, the `rollback.finished` record to the webhooks that listen
   * for it) and waits for each delivery. False when nobody listens or this process may no longer act (fenced):
   * nothing was sent. A webhook that fails is a warning, as every notification is.
   */
  rollback(notice: RollbackNotice): Promise<boolean>;
}

const attached = new WeakMap<EventBus, Notifier>();

/**
 * The notifier sending a release's notifications, if one is attached to its bus: the rollback's notice is one of
 * the rollback's journaled steps and goes through it. None on a dry run, a manual rollback, or once a fenced
 * process detached it.
 */
export function notifierOf(bus: EventBus): Notifier | null {
  return attached.get(bus) ?? null;
}

/**
 * Sends events to the configured webhooks as they happen: generic webhooks get the event record itself (the
 * same NDJSON shape as --json), Slack a short message on release.finished. A finished rollback is announced by
 * the rollback itself (`rollback`), exactly once even across a recovery: the stream does not send it again.
 * A webhook that fails is reported as a warning and never changes the release.
 * @param options.accepts asked before the rollback notice is sent: false once the process is fenced.
 */
export function attachNotifier(
  bus: EventBus,
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  options: { accepts?: () => boolean } = {},
): Notifier {
  const pending = new Set<Promise<void>>();
  const redactor = createRedactor(env, projectSecrets(config));
  const send = (url: string, body: unknown, label: string, headers: Record<string, string> = {}) => {
    const p = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'shipshape', ...headers },
      body: JSON.stringify(redactor.value(body)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
      .then((res) => {
        if (!res.ok) warn(`${label} answered ${res.status}`);
      })
      .catch((err: Error) => warn(`${label} failed: ${err.message}`))
      .finally(() => pending.delete(p));
    pending.add(p);
    return p;
  };
  const warn = (message: string): void => {
    bus.emit({ type: 'log', level: 'warn', message: `notification ${message}` });
  };
  const unsubscribe = bus.subscribe((event: ShipshapeEvent) => {
    if (event.type === 'log') return;
    // A rollback that finished is announced by its own `notify` step (Notifier.rollback).
    if (event.type === 'rollback.finished' && event.ok) return;
    for (const hook of config.notify.webhooks) {
      if (hook.events.includes(event.type) || hook.events.includes('*'))
        send(hook.url, event, `webhook ${new URL(hook.url).host}`);
    }
    const slack = config.notify.slack;
    const text = slack ? slackMessage(event, config) : null;
    if (slack && text) send(slack.webhook, { text }, 'Slack webhook');
  });
  const notifier: Notifier = {
    flush: async () => {
      await Promise.all([...pending]);
    },
    detach: () => {
      unsubscribe();
      if (attached.get(bus) === notifier) attached.delete(bus);
    },
    rollback: async (notice) => {
      const recipients = rollbackRecipients(config, bus.release, notice);
      if (recipients.length === 0 || (options.accepts && !options.accepts())) return false;
      // The same key on a re-sent notice (a process killed after delivering it, before journaling it).
      const headers = { 'idempotency-key': `${bus.release ?? 'none'}:rollback` };
      await Promise.all(recipients.map((r) => send(r.url, r.body, r.label, headers)));
      return true;
    },
  };
  attached.set(bus, notifier);
  return notifier;
}
