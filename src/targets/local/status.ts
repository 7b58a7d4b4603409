import type { LocalPlatform } from './platform.ts';

/** What `shipshape local status` shows: versions, split, uptime, and per version the last minute's load. */
export interface StatusReport {
  pid: number;
  projectDir: string;
  startedAt: string;
  uptimeSeconds: number;
  /** The live workerd entry (route with MF-Route-Override: v-<id>); for benchmarks and debugging. */
  runtimeUrl: string | null;
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
    startedAt: platform.startedAt.toISOString(),
    uptimeSeconds: Math.round((now.getTime() - platform.startedAt.getTime()) / 1000),
    runtimeUrl: platform.router.current()?.instance.url.href ?? null,
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
