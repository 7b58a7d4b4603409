import type { EventBody, ShipshapeEvent } from './types.ts';

export type Listener = (event: ShipshapeEvent) => void;

/**
 * The single stream every phase writes to and every reporter reads from. Phases never print.
 * @example const bus = new EventBus(); bus.subscribe(e => log(e)); bus.emit({ type: 'log', level: 'info', message: 'hi' })
 */
export class EventBus {
  release: string | null;
  private readonly listeners = new Set<Listener>();
  private readonly now: () => Date;

  constructor(options: { release?: string | null; now?: () => Date } = {}) {
    this.release = options.release ?? null;
    this.now = options.now ?? (() => new Date());
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(body: EventBody): ShipshapeEvent {
    const event = { v: 1, ts: this.now().toISOString(), release: this.release, ...body } as ShipshapeEvent;
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
