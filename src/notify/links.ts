/**
 * The CI run's page (GitHub Actions: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID), where the report and
 * journal are kept as artifacts; null outside a run.
 * @example ciRunUrl(process.env) // 'https://github.com/acme/shop/actions/runs/42#artifacts'
 */
export function ciRunUrl(env: Record<string, string | undefined>): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return null;
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${encodeURIComponent(run)}#artifacts`;
}
