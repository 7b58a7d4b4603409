import { defineErrors } from './define.ts';

export const coreErrors = defineErrors({
  INTERNAL: (c) => ({
    message: `Internal error: ${c.message}`,
    hint: 'Run again with --verbose for the stack trace and report it with the command you ran.',
    kind: 'internal',
  }),
  USAGE_UNKNOWN_COMMAND: (c) => ({
    message: `Unknown command "${c.command}".`,
    hint: c.suggestion
      ? `Did you mean "shipshape ${c.suggestion}"? Run "shipshape --help" for every command.`
      : 'Run "shipshape --help" for every command.',
  }),
  DEMO_UNAVAILABLE: (c) => ({
    message: `The demo app ${c.name} is not in this install (${c.path}).`,
    hint: 'The demo runs from a clone of the shipshape repository: "npm ci && npm run demo" there. In your own app, run "npx shipshape init".',
  }),
  USAGE_BAD_ARGS: (c) => ({
    message: `${c.command}: ${c.message}`,
    hint: c.usage ? `Usage: ${c.usage}` : `Run "shipshape ${c.command} --help".`,
  }),
});
