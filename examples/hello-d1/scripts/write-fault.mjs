// Writes src/fault.generated.ts from the FAULT env var, so one source tree builds good and faulty versions.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const raw = (process.env.FAULT ?? '').trim();
const allowed = /^(|errors:(0(\.\d+)?|1(\.0+)?)|latency:\d+ms|crash|health)$/;
if (!allowed.test(raw)) {
  console.error(`FAULT="${raw}" is not one of: errors:<0..1>, latency:<N>ms, crash, health`);
  process.exit(1);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'fault.generated.ts');
writeFileSync(
  out,
  `// Written by scripts/write-fault.mjs at build time; do not edit.\nexport const FAULT = ${JSON.stringify(raw)};\n`,
);
