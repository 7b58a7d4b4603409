import type { SkippedConfig } from './find-components.ts';
import type { OrderedComponent, ProbedComponent } from './probe-components.ts';
import type { SuggestedChecks } from './suggest-checks.ts';

/** `health: GET /health → 200 {"status":"healthy"}`, marked when the probe could not confirm it. */
export function healthLine(checks: SuggestedChecks): string {
  const list = checks.health.map(
    (c) => `GET ${c.path} → ${c.status}${c.json ? ` ${JSON.stringify(c.json)}` : ''}`,
  );
  return `health: ${list.join(', ')}${checks.confirmed ? '' : ' (a guess: not confirmed)'}`;
}

/** `security headers: …`, or that none are sent today. */
export function securityHeadersLine(checks: SuggestedChecks): string {
  return `security headers: ${checks.securityHeaders.join(', ') || 'none sent today (suggested in a comment)'}`;
}

/** `"api" (worker "shop-api" in api/)`: a component as init's output names it. */
export function describeComponent(c: OrderedComponent): string {
  return `"${c.name}" (${c.kind === 'pages' ? 'Pages project' : 'worker'} "${c.worker.name}" in ${c.dir}/)`;
}

/** The lines `init` prints after writing a config with `components`: per component, then the release. */
export function componentsSummary(
  file: string,
  components: ProbedComponent[],
  skipped: SkippedConfig[],
  consoleLogPaths: string[],
): string[] {
  const lines = [`wrote ${file} with ${components.length} component${components.length === 1 ? '' : 's'}`];
  const front = components.at(-1);
  for (const c of components) {
    const calls = c.calls.map((s) => `${s.component} (service binding ${s.binding})`);
    lines.push(`${describeComponent(c)}${calls.length ? `, calls ${calls.join(', ')}` : ''}`);
    if (c.build) lines.push(`  build: "${c.build}" runs before wrangler bundles (the app builds its worker)`);
    if (!c.checks) continue;
    lines.push(...c.checks.found.map((f) => `    ${f}`));
    lines.push(`  ${healthLine(c.checks)}`);
    if (c !== front && c.checks.e2e.length)
      lines.push(`  also checked (a miss costs points): ${c.checks.e2e.map((e) => e.path).join(', ')}`);
    lines.push(`  ${securityHeadersLine(c.checks)}`);
  }
  const why = components
    .filter((c) => c.dependsOn.length > 0)
    .map((c) => `${c.name} after ${c.dependsOn.join(', ')}`);
  lines.push(
    `release order: ${components.map((c) => c.name).join(' → ')}${why.length ? ` (${why.join('; ')})` : ''}`,
  );
  if (front?.checks) {
    const paths = front.checks.e2e.map((c) => c.path).join(', ') || 'none';
    lines.push(`e2e endpoints (through ${front.name}, last in release order): ${paths}`);
  }
  if (consoleLogPaths.length) lines.push(`console.log gate scans: ${consoleLogPaths.join(', ')}`);
  for (const s of skipped) lines.push(`left out: ${s.file} (${s.reason})`);
  return lines;
}
