import { defineErrors } from './define.ts';

/** Errors of a Pages project (`pages_build_output_dir`): its build, and its release on Cloudflare. */
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
  PAGES_SPLIT_UNSUPPORTED: (c) => ({
    message: `Cloudflare Pages cannot serve the split ${c.split} of "${c.project}": ${c.reason}`,
    hint: 'A Pages project serves one production deployment at a time: a new deployment is verified on its own preview address, then made production at once; a first release cannot be taken back to nothing (deploy the previous output, or delete the project).',
    kind: 'target',
  }),
  PAGES_DEPLOYMENT_UNKNOWN: (c) => ({
    message: `"${c.project}" has no deployment for version ${c.version} that can ${c.action}.`,
    hint:
      c.action === 'serve production'
        ? 'A preview becomes production by deploying its output again, which this run no longer holds: release it again with shipshape deploy.'
        : 'Pages rolls back only to an earlier production deployment that succeeded: list them with "npx wrangler pages deployment list".',
    kind: 'target',
  }),
  PAGES_NO_METRICS: (c) => ({
    message: `Cloudflare reports Pages Functions per project and environment, not per deployment: "${c.project}" has no figures for version ${c.version}.`,
    hint: "A Pages component is watched by its pinned checks on its preview address and by the other components' judgement.",
    kind: 'target',
  }),
});
