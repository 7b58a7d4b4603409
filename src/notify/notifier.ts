import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { slackMessage } from './slack-message.ts';

const TIMEOUT_MS = 10_000;

export interface Notifier {
  /** Waits for every notification sent so far (called before the command exits). */
  flush(): Promise<void>;
  detach(): void;
}

/**
 * Sends events to the configured webhooks as they happen: generic webhooks get the event record itself (the
 * same NDJSON shape as --json), Slack a short message on release.finished and rollback.started. A webhook that
 * fails is reported as a warning and never changes the release.
 */
export function attachNotifier(
  bus: EventBus,
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
): Notifier {
  const pending = new Set<Promise<void>>();
  const redactor = createRedactor(env, projectSecrets(config));
  const send = (url: string, body: unknown, label: string) => {
    const p = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'shipshape' },
      body: JSON.stringify(redactor.value(body)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
      .then((res) => {
        if (!res.ok) warn(`${label} answered ${res.status}`);
      })
      .catch((err: Error) => warn(`${label} failed: ${err.message}`))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const warn = (message: string): void => {
    bus.emit({ type: 'log', level: 'warn', message: `notification ${message}` });
  };
  const detach = bus.subscribe((event: ShipshapeEvent) => {
    if (event.type === 'log') return;
    for (const hook of config.notify.webhooks) {
      if (hook.events.includes(event.type) || hook.events.includes('*'))
        send(hook.url, event, `webhook ${new URL(hook.url).host}`);
    }
    const slack = config.notify.slack;
    const text = slack ? slackMessage(event, config) : null;
    if (slack && text) send(slack.webhook, { text }, 'Slack webhook');
  });
  return {
    flush: async () => {
      await Promise.all([...pending]);
    },
    detach,
  };
}
