import { defineErrors } from './define.ts';

export const flagErrors = defineErrors({
  FLAG_UNKNOWN: (c) => ({
    message: `No flag named "${c.name}" is defined.`,
    hint: c.suggestion
      ? `Did you mean "${c.suggestion}"? Defined flags: ${c.known}.`
      : `Define it under flags.definitions in shipshape.config.ts. Defined flags: ${c.known}.`,
  }),
  FLAG_BAD_VALUE: (c) => ({
    message: `${c.name} is a ${c.type} flag; "${c.value}" is not ${c.expected}.`,
    hint: `Nothing was written. Example: shipshape flags set ${c.name} ${c.example}`,
  }),
  FLAG_CONFIG_VALUE: (c) => ({
    message: `${c.path}.${c.name} in shipshape.config.ts: ${c.problem}.`,
    hint: 'Fix the config: these flags must be defined under flags.definitions with values of their type.',
  }),
  FLAG_DOCUMENT_INVALID: (c) => ({
    message: `KV ${c.binding} key "${c.key}" is not valid: ${c.reason}.`,
    hint: `Nothing was written. Inspect it (wrangler kv key get "${c.key}") and repair or delete it; shipshape never overwrites it.`,
    kind: 'target',
  }),
  FLAG_NO_KV: (c) => ({
    message: c.binding
      ? `flags.binding is "${c.binding}" but worker "${c.worker}" has no such KV namespace.`
      : `Worker "${c.worker}" has no KV namespace to keep flags in.`,
    hint: c.known
      ? `Set flags.binding to one of: ${c.known}.`
      : 'Add a kv_namespaces entry to the wrangler config, then set flags.binding if it is not the first one.',
  }),
  FLAG_KV_FAILED: (c) => ({
    message: `KV ${c.binding}: ${c.op} "${c.key}" failed: ${c.reason}.`,
    hint: c.written
      ? 'The flag change was written but its audit entry was not; run "shipshape flags history" to check.'
      : 'Nothing was changed. Check that the target is running (shipshape local status) or your API token, then retry.',
    kind: 'target',
  }),
  FLAG_REASON_REQUIRED: (c) => ({
    message: `${c.command} needs a reason.`,
    hint: `Say why for the audit trail: shipshape ${c.command} --reason "checkout errors after 1.4.0"`,
  }),
});
