import { describe, expect, it } from 'vitest';
import { emptyBindings } from '../../config/worker-bindings.ts';
import { objectOwners } from './object-owners.ts';
import type { StoredVersion } from './version-store.ts';

function version(id: string, createdAt: string): StoredVersion {
  const bindings = {
    ...emptyBindings(),
    durableObjects: [{ binding: 'C', className: 'Counter', scriptName: null }],
  };
  return {
    id,
    worker: 'app',
    hash: id,
    gitSha: null,
    message: null,
    tag: null,
    createdAt,
    mainModule: 'index.js',
    settings: {
      env: null,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: [],
      vars: {},
      d1: [],
      kv: [],
      assets: null,
      versionMetadata: null,
      bindings,
    },
  };
}

const a = version('a', '2026-01-01T00:00:00Z');
const b = version('b', '2026-01-02T00:00:00Z');

function ownerAt(percentB: number): string | null {
  const percent = (id: string) => (id === 'b' ? percentB : 100 - percentB);
  return objectOwners(
    [a, b],
    percent,
    () => '/nonexistent',
    (id) => `v-${id}`,
  )('do', 'app', 'Counter');
}

describe('objectOwners', () => {
  it('runs every object on one version: the larger share, the newer on a tie', () => {
    expect(ownerAt(0)).toBe('v-a');
    expect(ownerAt(10)).toBe('v-a');
    expect(ownerAt(50)).toBe('v-b');
    expect(ownerAt(100)).toBe('v-b');
  });

  it('raising the new version share never moves objects back to the old one', () => {
    const owners = [0, 10, 25, 50, 75, 90, 100].map(ownerAt);
    const first = owners.indexOf('v-b');
    expect(owners.slice(first).every((o) => o === 'v-b')).toBe(true);
  });

  it('knows nothing of classes no live version declares', () => {
    expect(
      objectOwners(
        [a],
        () => 100,
        () => '/x',
        (id) => id,
      )('do', 'app', 'Other'),
    ).toBeNull();
  });
});
