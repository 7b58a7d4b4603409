import type { SqlStatement } from '../target.ts';
import { ApiError } from './api-error.ts';
import { DATA_SECRET_HEADER, DATA_WORKER_NAME, dataBindingName, dataSecret } from './data-worker.ts';
import type { Instance } from './instance.ts';

/** Calls the data worker inside a live instance (D1 and KV operations of the control API). */
export async function callData(
  instance: Instance,
  kind: 'd1' | 'kv',
  id: string,
  op: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const url = new URL(`/${kind}/${dataBindingName(kind, id)}/${op}`, instance.url);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'MF-Route-Override': DATA_WORKER_NAME,
      [DATA_SECRET_HEADER]: dataSecret(),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status === 422)
    throw new ApiError(400, 'LOCAL_BAD_REQUEST', { operation: `${kind} ${op}`, reason: json.error });
  if (!res.ok) throw new Error(String(json.error ?? `data worker answered ${res.status}`));
  return json;
}

export function d1Batch(
  instance: Instance,
  id: string,
  statements: SqlStatement[],
): Promise<Array<Array<Record<string, unknown>>>> {
  return callData(instance, 'd1', id, 'batch', { statements }).then(
    (r) => r.results as Array<Array<Record<string, unknown>>>,
  );
}
