import pc from 'picocolors';
import type { ShipshapeEvent } from '../events/types.ts';
import type { CommandIO } from '../io/command-io.ts';
import { ANSI } from './ansi.ts';
import { Describer } from './describe.ts';
import type { Bands } from './format.ts';
import type { Line } from './line.ts';
import type { Reporter } from './reporter-type.ts';
import { type Colors, LiveState } from './tty-live.ts';

/** How often the spinner and countdown move. */
export const TICK_MS = 100;

/**
 * The live terminal view: finished lines scroll above a live block (phase list, spinner, bake countdown,
 * per-version figures, the judge) that is redrawn in place by moving the cursor up over it. Lines that
 * carry no news in a terminal (metrics samples, repeated verdicts, waits) live only in the block.
 */
export function createTtyReporter(
  io: CommandIO,
  opts: { verbose: boolean; color: boolean; bands: Bands },
): Reporter {
  const c = pc.createColors(opts.color);
  const describer = new Describer(opts);
  const live = new LiveState();
  let liveLines = 0;
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastVerdict = '';
  let closed = false;

  const width = () => io.stdout.columns ?? 80;
  const erase = () => (liveLines > 0 ? ANSI.up(liveLines) + ANSI.clearDown : '');
  const paint = (permanent: string) => {
    const block = closed ? [] : live.render(io.now().getTime(), frame, width(), c);
    const out = erase() + permanent + block.map((line) => `${line}\n`).join('');
    liveLines = block.length;
    if (out) io.stdout.write(out);
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    handle(event: ShipshapeEvent) {
      if (closed) return;
      if (event.type === 'error') {
        // The block is erased first so the cursor arithmetic stays right when stderr is the same terminal.
        if (liveLines > 0) io.stdout.write(erase());
        liveLines = 0;
        const stack = opts.verbose && event.stack ? `${c.dim(event.stack)}\n` : '';
        io.stderr.write(`${c.red(`error ${event.code}:`)} ${event.message}\n  hint: ${event.hint}\n${stack}`);
        paint('');
        return;
      }
      live.apply(event, io.now().getTime());
      let lines = describer.describe(event);
      if (event.type === 'metrics.sampled' || event.type === 'wait.started') lines = [];
      if (event.type === 'verdict') {
        const key = `${event.action}/${event.severity}`;
        if (key === lastVerdict) lines = [];
        lastVerdict = key;
      }
      paint(lines.map((line) => `${colour(line, c)}\n`).join(''));
      if (live.animating && !timer) {
        timer = setInterval(() => {
          frame += 1;
          paint('');
        }, TICK_MS);
        timer.unref?.();
      }
      if (!live.animating) stopTimer();
    },
    close() {
      if (closed) return;
      closed = true;
      stopTimer();
      paint('');
    },
  };
}

function colour(line: Line, c: Colors): string {
  const text = line.detail ? `    ${line.text}` : line.text;
  const prefix = line.header ? '\n' : '';
  switch (line.tone) {
    case 'head':
      return prefix + c.bold(c.cyan(text));
    case 'dim':
      return prefix + c.dim(text);
    case 'bad':
      return prefix + c.red(text);
    case 'warn':
      return prefix + c.yellow(text);
    case 'ok':
      // A check line keeps its message readable: only the icon turns green.
      return prefix + (text.startsWith('✓ ') ? `${c.green('✓')}${text.slice(1)}` : c.green(text));
    default:
      return prefix + text;
  }
}
