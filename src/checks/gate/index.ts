export { gateEnv, parseDevVars, readDevVars } from '../../config/dev-vars.ts';
export { consoleLogCheck, scanConsoleLog } from './console-log.ts';
export { deployWindowCheck, localTime, windowViolations } from './deploy-window.ts';
export { envCheck } from './env.ts';
export { formatProblem } from './env-format.ts';
export { branchCheck, cleanTreeCheck } from './git.ts';
export { migrationsCheck } from './migrations.ts';
export { gateChecks, type RunGateOptions, runGateChecks } from './run-gate.ts';
export { userCommandCheck } from './user-command.ts';
