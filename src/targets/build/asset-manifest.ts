import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A worker's static assets as the bundle records them (one `<sha256>  <path>` line per file, as sha256sum writes). */
export const ASSET_MANIFEST = '.assets.sha256';

/**
 * Writes the manifest of a worker's assets folder into its bundle. The bundle's hash then covers the site: a change
 * to the assets alone is a new build, not "unchanged" (Cloudflare also versions assets by a manifest of hashes).
 * The files themselves stay in the project until the upload copies them.
 */
export function writeAssetManifest(bundleDir: string, assetsDir: string): void {
  const lines = files(assetsDir).map((file) => {
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    return `${hash}  ${relative(assetsDir, file).split('\\').join('/')}`;
  });
  writeFileSync(join(bundleDir, ASSET_MANIFEST), lines.length ? `${lines.join('\n')}\n` : '');
}

function files(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out; // no assets folder (yet): nothing to record
  }
  for (const name of names) {
    const path = join(dir, name);
    // stat follows links: a linked project (init's probe) records the files it serves.
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) out.push(...files(path));
    else if (stat?.isFile()) out.push(path);
  }
  return out;
}
