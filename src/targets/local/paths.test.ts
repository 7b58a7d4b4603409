import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statePaths } from './paths.ts';

describe('statePaths', () => {
  it('keeps the folders of a project without components', () => {
    expect(statePaths('/app').root).toBe(join('/app', '.shipshape', 'local'));
    expect(statePaths('/app', 'staging').root).toBe(join('/app', '.shipshape', 'local-envs', 'staging'));
    expect(statePaths('/app')).toMatchObject({ env: null, component: null });
  });

  it("gives each component its own world under the project's .shipshape", () => {
    const api = statePaths('/app', null, 'api');
    expect(api.root).toBe(join('/app', '.shipshape', 'components', 'api', 'local'));
    expect(api.daemon).toBe(join(api.root, 'daemon.json'));
    expect(api.component).toBe('api');
    expect(statePaths('/app', 'staging', 'api').root).toBe(
      join('/app', '.shipshape', 'components', 'api', 'local-envs', 'staging'),
    );
  });

  it('refuses a component name that would leave its folder', () => {
    expect(() => statePaths('/app', null, '../web')).toThrow(
      expect.objectContaining({ code: 'LOCAL_COMPONENT_NAME_INVALID' }),
    );
  });
});
