import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/bus.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { runE2e, versionOverrides } from './e2e.ts';
import { sendJson, startTestServer, type TestServer } from './test-server.ts';

let server: TestServer | null = null;
let project: TempProject | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  project?.cleanup();
  project = null;
});

async function run(e2e: Record<string, unknown>, skip = false) {
  project ??= tempProject();
  const config = testConfig(project.dir, { e2e }, { name: 'hello-d1' });
  const bus = new EventBus();
  const out = await runE2e({
    target: server!.target,
    version: 'v2',
    config,
    bus,
    skip,
    sleep: async () => {},
  });
  return { ...out, byName: Object.fromEntries(out.results.map((r) => [r.name, r])) };
}

const items = (req: { pinned: string | null; path: string }, res: Parameters<typeof sendJson>[0]) =>
  req.path === '/api/items'
    ? sendJson(res, 200, { items: [], version: req.pinned })
    : sendJson(res, 404, { error: 'not found' });

describe('runE2e', () => {
  it('scores a skip 4 and sends nothing', async () => {
    server = await startTestServer(items);
    const out = await run({ endpoints: [{ name: 'items', path: '/api/items' }] }, true);
    expect(out.score).toBe(4);
    expect(out.results[0].status).toBe('skip');
    expect(server.seen).toHaveLength(0);
  });

  it('checks each endpoint, samples it for a p95 within budget, scores 5', async () => {
    server = await startTestServer(items);
    const out = await run({
      endpoints: [{ name: 'items', path: '/api/items', json: { items: [] } }],
      samples: 5,
      p95: '5s',
    });
    expect(out.results.map((r) => [r.name, r.status])).toEqual([
      ['items', 'pass'],
      ['latency p95', 'pass'],
    ]);
    expect(server.seen).toHaveLength(6);
    expect(server.seen.every((s) => s.pinned === 'v2')).toBe(true);
    expect(out.byName['latency p95'].evidence.samples).toBe(5);
    expect(out.p95Ms).toBeGreaterThan(0);
    expect(out.score).toBe(5);
  });

  it('fails the latency budget when the pinned version is slow, and loses a point per failure', async () => {
    server = await startTestServer(async (req, res) => {
      if (req.path === '/slow') await new Promise((r) => setTimeout(r, 120));
      items({ ...req, path: req.path === '/slow' ? '/api/items' : req.path }, res);
    });
    const out = await run({
      endpoints: [
        { name: 'slow', path: '/slow', retries: 1 },
        { name: 'missing', path: '/nope', retries: 1 },
      ],
      samples: 3,
      p95: '10ms',
    });
    expect(out.byName.missing.status).toBe('fail');
    expect(out.byName.missing.hint).toContain('e2e.endpoints["missing"]');
    const latency = out.byName['latency p95'];
    expect(latency.status).toBe('fail');
    expect(latency.message).toContain('over the 10ms budget');
    expect(latency.evidence.unsampled).toBe(1);
    expect(out.p95Ms).toBeGreaterThan(10);
    expect(out.score).toBe(3);
  });

  it('runs the e2e command with the URL, version and override header, and reports its failure tail', async () => {
    server = await startTestServer(items);
    const base = await server.target.url();
    const command =
      'echo "$SHIPSHAPE_URL|$SHIPSHAPE_VERSION_ID|$SHIPSHAPE_VERSION_OVERRIDES"; ' +
      `node -e 'const e = process.env; fetch(e.SHIPSHAPE_URL + "/api/items", { headers: { "Cloudflare-Workers-Version-Overrides": e.SHIPSHAPE_VERSION_OVERRIDES } }).then((r) => process.exit(r.ok ? 0 : 1))'`;
    const ok = await run({ command });
    expect(ok.byName['e2e command'].status).toBe('pass');
    expect(ok.byName['e2e command'].evidence.output).toContain(`${base}|v2|hello-d1="v2"`);
    expect(server.seen.at(-1)?.pinned).toBe('v2');
    expect(ok.score).toBe(5);

    const bad = await run({ command: 'echo "step 1 ok"; echo "assertion failed: items" >&2; exit 1' });
    const r = bad.byName['e2e command'];
    expect(r.status).toBe('fail');
    expect(r.message).toContain('exited with code 1');
    expect(r.hint).toContain('assertion failed: items');
    expect(bad.score).toBe(0);
  });

  it('stops the e2e command at its timeout', async () => {
    server = await startTestServer(items);
    const out = await run({ command: 'sleep 30', timeout: '200ms' });
    expect(out.byName['e2e command'].message).toContain('timed out after 200ms');
  });

  it('scores 4 with nothing configured', async () => {
    server = await startTestServer(items);
    const out = await run({});
    expect(out.score).toBe(4);
    expect(out.results[0].status).toBe('skip');
  });
});

describe('versionOverrides', () => {
  it('is the RFC 8941 dictionary the platform reads', () => {
    expect(versionOverrides('my-worker', 'abc-123')).toBe('my-worker="abc-123"');
  });
});
