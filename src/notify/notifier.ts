import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { deliver } from './deliver.ts';
import { ciRunUrl } from './links.ts';
import { notificationRecord } from './notification-record.ts';
import { type RollbackNotice, rollbackRecipients } from './rollback-notice.ts';
import { type MessageContext, slackMessage } from './slack-message.ts';

export interface Notifier {
  /** Waits for every notification sent so far (called before the command exits); each is bounded. */
  flush(): Promise<void>;
  detach(): void;
  /**
   * Sends a finished rollback's notice (Slack's message, the `rollback.finished` record to the webhooks that
   * listen for it) and waits for each delivery, at most `notify.timeout`. False when nobody listens or this
   * process may no longer act (fenced): nothing was sent. A webhook that fails is a warning, as every
   * notification is.
   */
  rollback(notice: RollbackNotice): Promise<boolean>;
}

const attached = new WeakMap<EventBus, Notifier>();

/**
 * The notifier sending a release's notifications, if one is attached to its bus: the rollback's notice is one of
 * the rollback's journaled steps and goes through it. None on a dry run or once a fenced process detached it.
 */
export function notifierOf(bus: EventBus): Notifier | null {
  return attached.get(bus) ?? null;
}

/**
 * Sends events to the configured webhooks as they happen: generic webhooks get the event record itself (the
 * same NDJSON shape as --json) versioned as `shipshape.notification/v1`, Slack a Block Kit message on a release's
 * outcome and on each action (who and why). A finished rollback is announced by the rollback itself
 * (`rollback`), exactly once even across a recovery: the stream does not send it again. Each delivery is
 * retried with backoff within `notify.timeout`; one that fails is a warning (a `log` event, journaled with the
 * release) and never changes the release or its exit code.
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
  const policy = { timeoutMs: config.notify.timeout, retries: config.notify.retries };
  const context: MessageContext = { cause: null, url: ciRunUrl(env) };
  const send = (url: string, body: unknown, label: string, headers: Record<string, string> = {}) => {
    const p = deliver(url, JSON.stringify(redactor.value(body)), policy, headers)
      .then((d) => {
        if (!d.ok) warn(`${label} ${d.problem}${d.attempts > 1 ? ` (${d.attempts} attempts)` : ''}`);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
    return p;
  };
  const warn = (message: string): void => {
    bus.emit({ type: 'log', level: 'warn', message: `notification ${message}` });
  };
  const unsubscribe = bus.subscribe((event: ShipshapeEvent) => {
    if (event.type === 'log') return;
    remember(context, event);
    // A rollback that finished is announced by its own `notify` step (Notifier.rollback).
    if (event.type === 'rollback.finished' && event.ok) return;
    for (const hook of config.notify.webhooks) {
      if (hook.events.includes(event.type) || hook.events.includes('*'))
        send(hook.url, notificationRecord(event, config, context.url), `webhook ${new URL(hook.url).host}`);
    }
    const slack = config.notify.slack;
    const message = slack ? slackMessage(event, config, context) : null;
    if (slack && message) send(slack.webhook, message, 'Slack webhook');
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
      const recipients = rollbackRecipients(config, bus.release, notice, context.url);
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

/** Keeps what a later message names as the cause: the rollback's reason, else the last error. */
function remember(context: MessageContext, event: ShipshapeEvent): void {
  if (event.type === 'rollback.started') context.cause = event.reason;
  else if (event.type === 'error' && !context.cause) context.cause = event.message;
  else if (event.type === 'verdict' && event.action === 'rollback' && !context.cause)
    context.cause = (event.decision ?? event.reasons[0])?.message ?? null;
}
