export type { CheckResult, GateCheck, GateContext } from './check.ts';
export * from './gate/index.ts';
export * from './http/index.ts';
export { GATE_SCORE, gateResult, globMatch, tailLines, timed } from './shared/result.ts';
export { type CommandOutcome, type RunCommandOptions, runCommand } from './shared/run-command.ts';
