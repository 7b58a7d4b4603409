import { cloudflareApiInfo } from '../../targets/local/cf-api/state.ts';
import { connect } from '../../targets/local/launcher.ts';
import { statePaths } from '../../targets/local/paths.ts';
import type { StatusReport } from '../../targets/local/status.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import {
  apiLines,
  COMPONENT_OPTION,
  type LocalWorld,
  localWorlds,
  worldFlags,
  worldLabel,
} from './local-worlds.ts';

export const statusCommand = defineCommand({
  name: 'local status',
  summary: 'versions, traffic split, uptime, requests/s and error rate per version',
  usage: 'local status [--env NAME] [--component NAME] [--json]',
  description: `Shows each running local platform of the project: in a project with components, one block per
component (its data plane URL, split and versions), or only the one --component names. --json writes one
local-status record per component.`,
  options: { ...COMPONENT_OPTION },
  async handler(ctx) {
    for (const world of await localWorlds(ctx, true)) await worldStatus(ctx, world);
    return 0;
  },
});

async function worldStatus({ global, io }: CommandContext, world: LocalWorld): Promise<void> {
  const { component } = world;
  const connection = await connect(global.cwd, global.env, component);
  const named = component ? { component } : {};
  if (!connection) {
    if (global.json)
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'local-status', env: global.env, ...named, running: false })}\n`,
      );
    else
      io.stdout.write(
        `The local platform${worldLabel(component, global.env)} is not running. Start it with "shipshape local start${worldFlags(component, global.env)}".\n`,
      );
    return;
  }
  const report = await connection.client.call<StatusReport>('GET', '/status');
  const { info } = connection;
  if (global.json) {
    const cloudflareApi = cloudflareApiInfo(statePaths(global.cwd, global.env, component), info.controlUrl);
    io.stdout.write(
      `${JSON.stringify({ v: 1, type: 'local-status', running: true, url: info.url, controlUrl: info.controlUrl, cloudflareApi, ...report })}\n`,
    );
    return;
  }
  io.stdout.write(formatStatus(report, info.url, info.controlUrl));
  io.stdout.write(apiLines(global.cwd, global.env, component, info.controlUrl));
}

function formatStatus(r: StatusReport, url: string, controlUrl: string): string {
  const split =
    r.deployment.split.map((s) => `${s.version.slice(0, 8)} ${s.percent}%`).join(' · ') || 'nothing deployed';
  const rows = [...r.versions]
    .reverse()
    .map((v) => [
      v.id,
      v.percent === null ? '-' : `${v.percent}%`,
      v.requestsPerSecond.toFixed(1),
      `${(v.errorRate * 100).toFixed(2)}%`,
      v.createdAt.replace('T', ' ').slice(0, 19),
      (v.message ?? '').slice(0, 40),
    ]);
  const head = ['VERSION', 'TRAFFIC', 'REQ/S', 'ERRORS', 'CREATED', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  const named = [r.component, r.env].filter(Boolean).join(', ');
  return [
    `shipshape local${named ? ` (${named})` : ''}: running (pid ${r.pid}, up ${uptime(r.uptimeSeconds)})`,
    `  data plane   ${url}`,
    `  control API  ${controlUrl}`,
    `  deployment   ${split}${r.deployment.since ? ` (since ${r.deployment.since})` : ''}`,
    '',
    line(head),
    ...(rows.length ? rows.map(line) : ['  (no versions yet)']),
    '  req/s and errors over the last minute',
    '',
  ].join('\n');
}

function uptime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}
