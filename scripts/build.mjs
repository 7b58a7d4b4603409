// Compiles src/ to dist/ (JavaScript, declarations, source maps): what the package ships and the CLI runs.
// It compiles into a fresh folder and swaps it in, so a process reading dist/ meanwhile never finds it missing.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const next = join(root, `dist.next-${process.pid}`);
const old = join(root, `dist.old-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], {
    stdio: 'inherit',
    cwd: root,
  });
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(join(root, 'dist'), old);
  } catch {
    // no dist/ yet
  }
  renameSync(next, join(root, 'dist'));
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
