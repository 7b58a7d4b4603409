import { afterEach, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from '../checks/shared/temp-repo.ts';
import { loadWorkerConfig } from '../config/wrangler.ts';
import { candidatePaths, HEALTH_PATHS, UNROUTED_PATH } from './candidate-paths.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('candidatePaths', () => {
  it("asks a Pages project for its Functions' file routes and its output's index links", () => {
    project = tempProject({
      'wrangler.json':
        '{ "name": "site", "pages_build_output_dir": "public", "compatibility_date": "2025-09-01" }',
      'public/index.html': '<a href="/docs.html">Docs</a>',
      'functions/status.ts': 'export const onRequestGet = () => Response.json({ ok: true });\n',
      'functions/api/ping.ts': 'export const onRequestGet = () => Response.json({ pong: true });\n',
      'functions/api/[id].ts': 'export const onRequestGet = () => new Response("one");\n',
      'functions/api/_middleware.ts': 'export const onRequest = ({ next }) => next();\n',
      'functions/env.d.ts': 'interface Env {}\n',
    });
    expect(candidatePaths(loadWorkerConfig(project.dir))).toEqual([
      ...HEALTH_PATHS,
      '/api/ping',
      '/status',
      '/docs.html',
      UNROUTED_PATH,
    ]);
  });

  it('asks a Pages project without Functions for its static pages only', () => {
    project = tempProject({
      'wrangler.json':
        '{ "name": "site", "pages_build_output_dir": "public", "compatibility_date": "2025-09-01" }',
      'public/index.html': '<h1>Site</h1>',
    });
    expect(candidatePaths(loadWorkerConfig(project.dir))).toEqual([...HEALTH_PATHS, UNROUTED_PATH]);
  });
});
