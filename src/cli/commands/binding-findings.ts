import type { UnsupportedBinding } from '../../config/worker-bindings.ts';

/** One comment line per binding the local target cannot run: its code, name and what the local target does. */
export function bindingFindings(unsupported: UnsupportedBinding[]): string {
  return unsupported.map((u) => `# ${u.code}: ${u.kind} binding "${u.binding}": ${u.local}\n`).join('');
}
