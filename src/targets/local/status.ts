import type { LocalPlatform } from './platform.ts';

/** What `shipshape local status` shows: versions, split, uptime, and per version the last minute's load. */
export interface StatusReport {
  pid: number;
  projectDir: string;
  /** The environment this platform serves; null for production. */
  env: string | null;
  /** The component this platform serves; absent for a project without `components`. */
  component?: string;
  startedAt: string;
  uptimeSeconds: number;
  /** Each live version's own workerd socket; for benchmarks and debugging. */
  sockets: Record<string, string>;
  deployment: { split: Array<{ version: string; percent: number }>; since: string | null };
  versions: Array<{
    id: string;
    createdAt: string;
    message: string | null;
    gitSha: string | null;
    percent: number | null;
    requestsPerSecond: number;
    errorRate: number;
  }>;
}

export function statusReport(platform: LocalPlatform): StatusReport {
  const now = new Date();
  const since = new Date(now.getTime() - 60_000);
  const deployment = platform.deployment();
  return {
    pid: process.pid,
    projectDir: platform.projectDir,
    env: platform.paths.env,
    ...(platform.paths.component ? { component: platform.paths.component } : {}),
    startedAt: platform.startedAt.toISOString(),
    uptimeSeconds: Math.round((now.getTime() - platform.startedAt.getTime()) / 1000),
    sockets: socketsOf(platform),
    deployment,
    versions: platform.versions().map((v) => {
      const w = platform.metrics.window(v.id, since, now);
      return {
        id: v.id,
        createdAt: v.createdAt,
        message: v.message,
        gitSha: v.gitSha,
        percent: deployment.split.find((s) => s.version === v.id)?.percent ?? null,
        requestsPerSecond: w.requests / 60,
        errorRate: w.errorRate,
      };
    }),
  };
}

function socketsOf(platform: LocalPlatform): Record<string, string> {
  const instance = platform.router.current()?.instance;
  return Object.fromEntries(
    [...(instance?.versions ?? [])].map((id) => [id, instance?.socket(id).href ?? '']),
  );
}
