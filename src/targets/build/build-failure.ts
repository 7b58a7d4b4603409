import { existsSync, readFileSync } from 'node:fs';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/** How many of the build's last output lines a failure shows (all of them are in the evidence, for --verbose). */
export const TAIL_LINES = 15;

/**
 * A failed build as a person reads it: the bundler's own message, file and line when esbuild gave them, the last
 * lines of the build's output in the message, and the whole output in `details.output`.
 */
export function buildFailure(output: string, outputFile: string | null, step = 'wrangler'): ShipshapeError {
  const clean = stripAnsi(output).trim();
  const failure = (outputFile && readFailure(outputFile)) ?? lastLines(clean, 8);
  const tail = lastLines(clean, TAIL_LINES);
  const m = /^(?:✘ \[ERROR\] )?(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(failure);
  const where = m ? { file: m[1], line: Number(m[2]), column: Number(m[3]), reason: m[4] } : null;
  return new ShipshapeError('BUILD_FAILED', {
    ...(where ?? { reason: firstLine(failure) }),
    step,
    tail: `${step} output (last ${TAIL_LINES} lines; all with --verbose):\n${indent(tail)}`,
    output: clean,
  });
}

function readFailure(outputFile: string): string | null {
  if (!existsSync(outputFile)) return null;
  for (const line of readFileSync(outputFile, 'utf8').split('\n').reverse()) {
    try {
      const record = JSON.parse(line) as { type?: string; message?: string };
      if (record.type === 'command-failed' && record.message) return record.message;
    } catch {
      // a partial last line: keep looking
    }
  }
  return null;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !/^[-─═ ]+$/.test(l)) ?? 'the build exited with an error'
  );
}

function lastLines(output: string, n: number): string {
  return output.split('\n').slice(-n).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
