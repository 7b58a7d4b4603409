/**
 * The environment the detached daemon gets. The worker's vars and secrets come from the wrangler config and
 * `.dev.vars`, never from the daemon's environment, so the deploying shell's variables (API tokens, cloud
 * credentials, CI secrets) have no business in a long-lived process whose log holds the worker's output.
 * Only what Node, Miniflare and workerd need to run is passed on.
 */
const NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LANGUAGE',
  'TZ',
  'NO_COLOR',
  'FORCE_COLOR',
  // Corporate roots for the few HTTPS calls Node makes (none by default).
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Windows: the system folders and the user's profile, without which Node and workerd cannot start.
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
]);

/**
 * Prefixes kept whole: locale settings, XDG folders, the runtime's own knobs (e.g. MINIFLARE_WORKERD_PATH), and
 * the Cloudflare API stand-in's fault settings (SHIPSHAPE_CF_API_*), which the daemon reads at start.
 */
const PREFIXES = ['LC_', 'XDG_', 'MINIFLARE_', 'WORKERD_', 'SHIPSHAPE_CF_API_'];

/**
 * The daemon's environment, picked from `source` (the deploying process's environment).
 * @example spawn(node, args, { env: daemonEnv(process.env) })
 */
export function daemonEnv(source: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (NAMES.has(name.toUpperCase()) || PREFIXES.some((p) => name.toUpperCase().startsWith(p)))
      env[name] = value;
  }
  return env;
}
