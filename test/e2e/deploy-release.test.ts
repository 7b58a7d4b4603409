import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDaemonInfo, readToken } from '../../src/targets/local/daemon-info.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { finished, prepareApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/run-cli.ts';

// One app for the whole file: releases build on each other as they would in a real project.
let app: TestApp;
beforeAll(() => {
  app = prepareApp();
});
afterAll(() => app?.cleanup());

function commit(message: string): void {
  execFileSync('git', ['add', '-A'], { cwd: app.dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message], {
    cwd: app.dir,
  });
}

async function serving(): Promise<{ split: { version: string; percent: number }[] }> {
  const { events } = await app.cli(['status']);
  const status = events.find((e) => (e as { type: string }).type === 'status') as unknown as {
    deployment: { split: { version: string; percent: number }[] };
  };
  return status.deployment;
}

describe('shipshape deploy on the local platform', () => {
  let v1: string;

  it('promotes a good release with score >= 80 and exit 0', async () => {
    const { code, events, stderr } = await app.cli(['deploy']);
    const end = finished(events);
    expect(code, stderr).toBe(0);
    expect(end?.outcome).toBe('promoted');
    expect(end?.score).toBeGreaterThanOrEqual(80);
    v1 = end?.version as string;
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
    const phases = events
      .filter((e) => e.type === 'phase.finished')
      .map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual(['gate', 'release', 'verify', 'e2e', 'rollout']);
  });

  it('retries a transient upload failure (injected 503): promoted, release phase scores 4', async () => {
    const paths = statePaths(app.dir);
    const res = await fetch(new URL('/faults', readDaemonInfo(paths)?.controlUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${readToken(paths)}` },
      body: JSON.stringify({ upload: { status: 503, times: 1 } }),
    });
    expect(res.status).toBe(200);
    const { code, events } = await app.cli(['deploy']);
    expect(code).toBe(0);
    expect(events.find((e) => e.type === 'retry.scheduled')).toMatchObject({
      phase: 'release',
      name: 'upload',
      attempt: 1,
    });
    expect(events.find((e) => e.type === 'phase.finished' && e.phase === 'release')).toMatchObject({
      score: 4,
    });
    expect(finished(events)).toMatchObject({ outcome: 'promoted', score: 96 });
    v1 = finished(events)?.version as string;
  });

  it('a dry run leaves versions, split and data unchanged and prints the plan', async () => {
    const before = await app.cli(['status']);
    const { code, events } = await app.cli(['deploy', '--dry-run']);
    expect(code).toBe(0);
    expect(events.some((e) => e.type === 'version.uploaded')).toBe(false);
    expect(events.find((e) => e.type === 'plan')).toMatchObject({
      steps: [{ percent: 50 }, { percent: 100 }],
    });
    const after = await app.cli(['status']);
    const pick = (evs: typeof before.events) => {
      const s = evs.find((e) => (e as { type: string }).type === 'status') as unknown as {
        deployment: unknown;
        versions: unknown;
      };
      return { deployment: s.deployment, versions: s.versions };
    };
    expect(pick(after.events)).toEqual(pick(before.events));
  });

  it('rolls back a version whose health check fails: previous version still at 100%, exit 1', async () => {
    const { code, events } = await app.cli(['deploy'], { FAULT: 'health' });
    expect(code).toBe(1);
    expect(finished(events)?.outcome).toBe('rolled_back');
    const verify = events.find((e) => e.type === 'phase.finished' && e.phase === 'verify');
    expect(verify).toMatchObject({ score: 0, status: 'fail' });
    expect(events.some((e) => e.type === 'phase.started' && e.phase === 'rollout')).toBe(false);
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
  });

  it('a gate failure uploads nothing and exits 3, listing every failing check', async () => {
    writeFileSync(join(app.dir, 'src', 'debug.ts'), 'console.log("left over");\n');
    const { code, events } = await app.cli(['deploy']);
    expect(code).toBe(3);
    expect(finished(events)?.outcome).toBe('blocked');
    const failed = events
      .filter((e) => e.type === 'check.finished' && e.status === 'fail')
      .map((e) => (e as { name: string }).name);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === 'version.uploaded')).toBe(false);
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
  });

  it('blocks a DROP COLUMN migration at the gate with the rule and its hint', async () => {
    rmSync(join(app.dir, 'src', 'debug.ts'));
    writeFileSync(join(app.dir, 'migrations', '0003_drop_tags.sql'), 'ALTER TABLE items DROP COLUMN tags;\n');
    commit('drop tags');
    const { code, events } = await app.cli(['deploy']);
    expect(code).toBe(3);
    const check = events.find((e) => e.type === 'check.finished' && e.name === 'migrations') as {
      message: string;
      hint: string;
    };
    expect(check.message).toContain('0003_drop_tags.sql:1 drop-column');
    expect(check.hint).toBeTruthy();
    expect(events.some((e) => e.type === 'version.uploaded')).toBe(false);
    rmSync(join(app.dir, 'migrations', '0003_drop_tags.sql'));
    commit('no drop');
  });

  let v2: string;
  it('applies a new migration with a backup, then rolls code and database back by hand', async () => {
    writeFileSync(
      join(app.dir, 'migrations', '0003_add_note.sql'),
      'ALTER TABLE items ADD COLUMN note TEXT;\n',
    );
    mkdirSync(join(app.dir, 'migrations', 'rollback'), { recursive: true });
    writeFileSync(
      join(app.dir, 'migrations', 'rollback', '0003_add_note.sql'),
      'ALTER TABLE items DROP COLUMN note;\n',
    );
    commit('add note');
    const deployed = await app.cli(['deploy']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.events.find((e) => e.type === 'migrations.applied')).toMatchObject({
      files: ['0003_add_note.sql'],
      backup: { kind: expect.any(String) },
    });
    v2 = finished(deployed.events)?.version as string;
    expect((await serving()).split).toEqual([{ version: v2, percent: 100 }]);

    const unknown = await app.cli(['rollback', 'zzzz']);
    expect(unknown.code).toBe(2);
    expect(unknown.events.find((e) => e.type === 'error')).toMatchObject({
      code: 'VERSION_UNKNOWN',
      hint: expect.stringContaining(v1.slice(0, 8)),
    });

    const refused = await app.cli(['rollback', '--migrations']);
    expect(refused.code).toBe(2);
    expect(refused.events.find((e) => e.type === 'error')).toMatchObject({
      code: 'MIGRATIONS_ROLLBACK_UNCONFIRMED',
    });
    expect((await serving()).split).toEqual([{ version: v2, percent: 100 }]);

    const back = await app.cli(['rollback', '--migrations', '--yes', '--reason', 'test']);
    expect(back.code, back.stderr).toBe(0);
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
    const status = await app.cli(['migrations', 'status']);
    const record = status.events.find(
      (e) => (e as { type: string }).type === 'migrations.status',
    ) as unknown as {
      migrations: { name: string; state: string }[];
    };
    expect(record.migrations.map((m) => [m.name, m.state])).toEqual([
      ['0001_create_items.sql', 'applied'],
      ['0002_add_item_tags.sql', 'applied'],
      ['0003_add_note.sql', 'pending'],
    ]);
  });

  it('history lists the releases with outcomes and scores', async () => {
    const { events } = await app.cli(['history']);
    const outcomes = events.map((e) => (e as unknown as { outcome: string }).outcome);
    expect(outcomes).toEqual([
      'rolled_back',
      'promoted',
      'blocked',
      'blocked',
      'rolled_back',
      'promoted',
      'promoted',
    ]);
  });

  it('report prints the newest release as Markdown, or its journal with --json', async () => {
    const journal = await app.cli(['report']);
    expect(journal.code).toBe(0);
    expect(finished(journal.events)?.outcome).toBe('rolled_back');
    const markdown = await runCli(['report', '--cwd', app.dir], { cwd: app.dir });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# Release `r-[\w-]+`: rolled back/);
    const unknown = await runCli(['report', 'r-nope', '--cwd', app.dir], { cwd: app.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('RELEASE_UNKNOWN');
  });
});
