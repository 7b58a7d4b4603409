// Packs the built package once (dist/ must be current: `npm run build`) and lints the tarball users would get:
// publint (package.json and files) and attw (types resolve under node16 and bundler). Any finding fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'shipshape-pack-'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
try {
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], { cwd: root });
  const tarball = join(
    out,
    readdirSync(out).find((f) => f.endsWith('.tgz')),
  );
  run('npx', ['--no', 'publint', 'run', tarball, '--strict']);
  run('npx', ['--no', 'attw', tarball, '--profile', 'esm-only']);
} finally {
  rmSync(out, { recursive: true, force: true });
}
