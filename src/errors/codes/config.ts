import { defineErrors } from './define.ts';

export const configErrors = defineErrors({
  CONFIG_NOT_FOUND: (c) => ({
    message: `No shipshape.config.ts or shipshape.config.json in ${c.dir}.`,
    hint: 'Run "shipshape init" to write one from your wrangler config.',
  }),
  CONFIG_INVALID: (c) => ({
    message: `${c.file} has ${c.count} problem${c.count === 1 ? '' : 's'}:\n${c.list}`,
    hint: 'Fix the keys above; "shipshape config" prints the resolved config once it loads.',
  }),
  CONFIG_SYNTAX: (c) => ({
    message: `${c.file}${c.line ? `:${c.line}` : ''}: ${c.reason}`,
    hint: 'Fix the syntax error at that line; the config must be valid TypeScript or JSON.',
  }),
  CONFIG_EXISTS: (c) => ({
    message: `${c.file} already exists; init does not overwrite it.`,
    hint: 'Edit it, or delete it and run "shipshape init" again.',
  }),
  CONFIG_ENV_UNKNOWN: (c) => ({
    message: `Environment "${c.env}" is not defined under "environments" in ${c.file}.`,
    hint: c.known.length
      ? `Known environments: ${c.known.join(', ')}.${c.suggestion ? ` Did you mean "${c.suggestion}"?` : ''}`
      : 'Add it under "environments", or drop --env.',
  }),
  COMPONENTS_INVALID: (c) => ({
    message: `The components in shipshape.config.ts have ${c.count} problem${c.count === 1 ? '' : 's'}:\n  - ${c.list}`,
    hint: 'Each component needs a unique name and a folder with its own wrangler config; "shipshape config" shows the order once it loads.',
  }),
  COMPONENT_UNKNOWN: (c) => ({
    message: `No component "${c.name}" in this project.`,
    hint: `Components: ${c.known.join(', ')}.`,
  }),
  WRANGLER_NOT_FOUND: (c) => ({
    message: `No wrangler.jsonc, wrangler.json or wrangler.toml in ${c.dir}.`,
    hint: 'Run shipshape in the worker project folder (the one with the wrangler config), or pass --cwd.',
  }),
  WRANGLER_INVALID: (c) => ({
    message: `${c.file}${c.line ? `:${c.line}` : ''}: ${c.reason}`,
    hint: 'Fix the wrangler config; "npx wrangler deploy --dry-run" reports the same file.',
  }),
  WRANGLER_ENV_UNKNOWN: (c) => ({
    message: `${c.file} has no environment "${c.env}".`,
    hint: c.known.length
      ? `Environments there: ${c.known.join(', ')}.`
      : 'Add an "env" section, or drop --env.',
  }),
});
