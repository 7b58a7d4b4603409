const MINUTE = 60_000;

/**
 * Ticks at every minute boundary (UTC), as Cloudflare's scheduler fires cron triggers, with that minute's time.
 * A minute the process slept through (a suspended laptop, a stalled event loop) is skipped, not caught up. The
 * timer never keeps the process alive; `stop()` ends it. `tick` must not throw: its failures are its own to report.
 */
export class CronClock {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The minute last ticked: a timer that fires a little early never ticks the same minute twice. */
  private last = 0;

  constructor(private readonly tick: (minute: Date) => Promise<void>) {}

  start(): void {
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.stopped) return;
    const now = Date.now();
    const next = Math.max(Math.floor(now / MINUTE) * MINUTE + MINUTE, this.last + MINUTE);
    this.timer = setTimeout(() => {
      this.last = next;
      this.arm();
      void this.tick(new Date(next));
    }, next - now);
    this.timer.unref();
  }
}
