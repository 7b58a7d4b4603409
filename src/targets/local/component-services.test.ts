import { describe, expect, it } from 'vitest';
import type { ResolvedComponent } from '../../config/components.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { componentServices, withoutComponentServices } from './component-services.ts';

type Service = WorkerConfig['bindings']['services'][number];

function component(
  name: string,
  worker: string,
  services: Service[] = [],
  implicit = false,
): ResolvedComponent {
  return {
    name,
    implicit,
    dir: `/app/${name}`,
    worker: { name: worker, bindings: { services } } as unknown as WorkerConfig,
  } as ResolvedComponent;
}

const api = component('api', 'shop-api');
const web = component('web', 'shop-web', [
  { binding: 'API', service: 'shop-api', entrypoint: null },
  { binding: 'API_RPC', service: 'shop-api', entrypoint: 'Orders' },
  { binding: 'AUTH', service: 'auth-worker', entrypoint: null },
]);
const seenFrom = (c: ResolvedComponent) => ({ worker: c.worker, component: c, components: [api, web] });

describe('componentServices', () => {
  it("names the bindings to another component's worker, not plain project workers or named entrypoints", () => {
    expect(componentServices(seenFrom(web))).toEqual([{ binding: 'API', component: 'api' }]);
    expect(componentServices(seenFrom(api))).toEqual([]);
  });

  it('is empty for a project without components', () => {
    const only = component('shop-web', 'shop-web', web.worker.bindings.services, true);
    expect(componentServices({ worker: only.worker, component: only, components: [only] })).toEqual([]);
  });

  it('leaves services bound live out of the build, keeping the others', () => {
    const built = withoutComponentServices(web.worker, componentServices(seenFrom(web)));
    expect(built.bindings.services.map((s) => s.binding)).toEqual(['API_RPC', 'AUTH']);
    expect(withoutComponentServices(api.worker, [])).toBe(api.worker);
  });
});
