#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npm ci` alone leaves a working command (no build step).
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
process.exitCode = await run(process.argv.slice(2));
