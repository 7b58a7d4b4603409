import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import type { EventBody, ShipshapeEvent } from '../events/types.ts';
import { attachNotifier } from '../notify/notifier.ts';
import { appendLineSync } from '../state/atomic-write.ts';
import { readJournal } from '../state/journal.ts';
import { journalPath } from '../state/paths.ts';
import type { Split, Target } from '../targets/target.ts';
import { recoverOrphans } from './orphans.ts';
import { performRollback } from './rollback.ts';

// The rollback's notice is its last journaled step (`notify`): a recovery sends it when the journal lacks it and
// never when it shows it. A receiver on 127.0.0.1 counts what arrives.
const SECRET = 'hunter2-"quoted"\\value';
let server: Server;
let base: string;
let received: { path: string; key: string; body: Record<string, unknown> }[] = [];
let dir: string;
let config: ResolvedConfig;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        key: String(req.headers['idempotency-key']),
        body: JSON.parse(data),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'shipshape-rollback-notify-'));
  writeFileSync(
    join(dir, 'wrangler.jsonc'),
    JSON.stringify({ name: 'app', main: 'src/index.js', compatibility_date: '2025-09-01' }),
  );
  writeFileSync(join(dir, '.dev.vars'), `API_TOKEN=${JSON.stringify(SECRET)}\n`);
  writeFileSync(
    join(dir, 'shipshape.config.json'),
    JSON.stringify({
      rollback: { verify: false },
      notify: {
        slack: { webhook: `${base}/slack` },
        webhooks: [{ url: `${base}/hook`, events: ['rollback.finished'] }],
      },
    }),
  );
  config = await loadConfig({ cwd: dir, env: null });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  received = [];
  rmSync(join(dir, '.shipshape'), { recursive: true, force: true });
});

/** A target serving `split`, recording each switch; no guard (the lease is not what is tested here). */
function fakeTarget(split: Split[]): Target & { switches: Split[][] } {
  const switches: Split[][] = [];
  return {
    name: 'local',
    switches,
    deployment: async () => ({ split }),
    setTraffic: async (next: Split[]) => {
      switches.push(next);
      split = next;
    },
  } as unknown as Target & { switches: Split[][] };
}

/** Writes a journal as a process killed after `steps` would have left it. */
function journal(id: string, bodies: EventBody[]): void {
  mkdirSync(join(dir, '.shipshape', 'releases'), { recursive: true });
  const ts = '2026-02-07T14:23:30.000Z';
  for (const body of bodies)
    appendLineSync(journalPath(dir, id), JSON.stringify({ v: 1, ts, release: id, ...body }));
}

const promoted = (version: string): EventBody[] => [
  { type: 'release.started', worker: 'app', env: null, target: 'local', dryRun: false, baseline: null },
  { type: 'version.uploaded', version, hash: 'h', attempt: 1 },
  {
    type: 'release.finished',
    score: 100,
    outcome: 'promoted',
    phases: {},
    durationMs: 1,
    version,
    baseline: null,
  },
];
const rollingBack = (reason: string): EventBody[] => [
  { type: 'release.started', worker: 'app', env: null, target: 'local', dryRun: false, baseline: 'v1' },
  { type: 'version.uploaded', version: 'v2', hash: 'h', attempt: 1 },
  {
    type: 'traffic.changed',
    split: [
      { version: 'v2', percent: 50 },
      { version: 'v1', percent: 50 },
    ],
  },
  { type: 'rollback.started', reason, from: 'v2', to: 'v1' },
  { type: 'traffic.changed', split: [{ version: 'v1', percent: 100 }] },
  { type: 'rollback.step', step: 'traffic', to: 'v1' },
];

async function recover(target: Target): Promise<ShipshapeEvent[]> {
  const bus = new EventBus();
  await recoverOrphans({ config, target, bus, env: {}, now: () => new Date(), currentRelease: null });
  return readJournal(dir, 'r-2');
}

const notices = () => received.filter((r) => r.path === '/hook' && r.body.type === 'rollback.finished');
const slackLines = () => received.filter((r) => r.path === '/slack').map((r) => String(r.body.text));

describe('the rollback notice is a journaled step', () => {
  it('killed between the rollback and its notice: the recovery sends it exactly once, redacted', async () => {
    journal('r-1', promoted('v1'));
    journal('r-2', rollingBack(`canary leaked ${SECRET}`));
    const target = fakeTarget([{ version: 'v1', percent: 100 }]);
    const lines = await recover(target);
    expect(target.switches).toEqual([]);
    expect(notices()).toHaveLength(1);
    expect(notices()[0]).toMatchObject({ key: 'r-2:rollback', body: { release: 'r-2', ok: true, to: 'v1' } });
    expect(slackLines().filter((t) => t.includes('rolled back to v1'))).toHaveLength(1);
    expect(JSON.stringify(received)).not.toContain('hunter2');
    const tail = lines.slice(-3).map((l) => (l.type === 'rollback.step' ? `step:${l.step}` : l.type));
    expect(tail).toEqual(['step:notify', 'rollback.finished', 'release.finished']);
    // Closed: a second recovery finds nothing to do and sends nothing.
    await recover(target);
    expect(notices()).toHaveLength(1);
  });

  it('killed after the notice was journaled: the recovery sends none and closes the release', async () => {
    journal('r-1', promoted('v1'));
    journal('r-2', [...rollingBack('errors'), { type: 'rollback.step', step: 'notify', to: 'v1' }]);
    const lines = await recover(fakeTarget([{ version: 'v1', percent: 100 }]));
    expect(notices()).toHaveLength(0);
    expect(slackLines().some((t) => t.includes('rolled back to'))).toBe(false);
    expect(lines.filter((l) => l.type === 'rollback.step' && l.step === 'notify')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ type: 'release.finished', outcome: 'rolled_back' });
  });

  it('killed mid-bake: the recovery rolls back and notifies once, the stream adding no second record', async () => {
    journal('r-1', promoted('v1'));
    journal('r-2', rollingBack('x').slice(0, 3));
    const target = fakeTarget([
      { version: 'v2', percent: 50 },
      { version: 'v1', percent: 50 },
    ]);
    const lines = await recover(target);
    expect(target.switches).toEqual([[{ version: 'v1', percent: 100 }]]);
    expect(notices()).toHaveLength(1);
    const steps = lines.filter((l) => l.type === 'rollback.step').map((l) => l.step);
    expect(steps).toEqual(['traffic', 'notify']);
  });

  it('a fenced process sends nothing and journals no notify step', async () => {
    const bus = new EventBus({ release: 'r-3' });
    const events: ShipshapeEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const notifier = attachNotifier(bus, config, {}, { accepts: () => false });
    const target = fakeTarget([{ version: 'v2', percent: 100 }]);
    await performRollback(
      { config, target, bus, env: {}, sleep: async () => {} },
      { releaseId: 'r-3', from: 'v2', to: 'v1', reason: 'x' },
    );
    await notifier.flush();
    notifier.detach();
    expect(received).toEqual([]);
    expect(events.some((e) => e.type === 'rollback.step' && e.step === 'notify')).toBe(false);
  });

  it('without a notifier (a dry run) no notice and no step', async () => {
    const bus = new EventBus({ release: 'r-4' });
    const events: ShipshapeEvent[] = [];
    bus.subscribe((e) => events.push(e));
    await performRollback(
      { config, target: fakeTarget([{ version: 'v2', percent: 100 }]), bus, env: {}, sleep: async () => {} },
      { releaseId: 'r-4', from: 'v2', to: 'v1', reason: 'x' },
    );
    expect(received).toEqual([]);
    expect(events.map((e) => e.type)).toEqual([
      'rollback.started',
      'traffic.changed',
      'rollback.step',
      'rollback.finished',
    ]);
  });
});
