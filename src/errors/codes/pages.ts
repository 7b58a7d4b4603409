import { defineErrors } from './define.ts';

/** Errors of building a Pages project (`pages_build_output_dir`) for the local target. */
export const pagesErrors = defineErrors({
  PAGES_OUTPUT_NOT_BUILT: (c) => ({
    message: `wrangler's "pages_build_output_dir" is ${c.dir}, which is not a folder: it is the site's build output.`,
    hint: c.command
      ? `Run the build first ("${c.command}"), or name it as build.command in shipshape.config so deploy runs it.`
      : 'Run the build that writes it first, or name that command as build.command in shipshape.config so deploy runs it.',
    kind: 'user',
    exit: 2,
  }),
  PAGES_FUNCTIONS_BUILD_FAILED: (c) => ({
    message: `Pages Functions failed to build${c.file ? ` at ${c.file}${c.line ? `:${c.line}${c.column ? `:${c.column}` : ''}` : ''}` : ''}: ${c.reason}${c.tail ? `\n${c.tail}` : ''}`,
    hint: 'Fix the error above; "npx wrangler pages functions build" in the project shows the same output.',
    kind: 'user',
    exit: 2,
  }),
  PAGES_ROUTES_INVALID: (c) => ({
    message: `${c.file} cannot be used as Pages routes: ${c.reason}.`,
    hint: 'Write {"version": 1, "include": ["/api/*"], "exclude": []}: at least one include, at most 100 rules of at most 100 characters, each starting with "/".',
    kind: 'user',
    exit: 2,
  }),
});
