import { defineErrors } from './define.ts';

/** Bindings, bundles and start-up of a version on the local target. */
export const bindingErrors = defineErrors({
  LOCAL_BINDING_UNSUPPORTED: (c) => ({
    message: `The ${c.kind} binding "${c.binding}" cannot run on the local target: ${c.local}.`,
    hint: 'Code that uses it must cope with it missing locally (or be tested on Cloudflare); the release on Cloudflare binds it as usual.',
  }),
  LOCAL_SERVICE_NOT_IN_PROJECT: (c) => ({
    message: `The service binding "${c.binding}" names worker "${c.service}", which is not in this project: left unbound on the local target.`,
    hint: `Put that worker's wrangler config in a folder of the project (searched: ${c.searched}) so the local target builds and runs it with each version.`,
  }),
  LOCAL_DO_MIGRATION_GRADUAL: (c) => ({
    message: `Version upload refused: its Durable Object migrations (last tag ${c.to}) differ from the serving version's (last tag ${c.from}); migrations cannot be deployed gradually [code: ${c.cloudflareCode}].`,
    hint: 'Deploy a version that changes Durable Object migrations non-gradually, at 100% at once ("wrangler deploy" on Cloudflare), then release later changes gradually.',
  }),
  LOCAL_MAIN_NOT_BUILT: (c) => ({
    message: `wrangler's "main" is ${c.main}, which does not exist: it is a build output.`,
    hint: c.command
      ? `Run the build first ("${c.command}"), or name it as build.command in shipshape.config (or wrangler's build.command) so deploy runs it.`
      : "Run the build that writes it first, or name that command as build.command in shipshape.config (or wrangler's build.command) so deploy runs it.",
    kind: 'user',
    exit: 2,
  }),
});
