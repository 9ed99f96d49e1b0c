import picomatch from 'picomatch/posix.js';
import { describe, expect, it } from 'vitest';
import { mapAffectedServices, type ChangedFile } from './map-affected-services.ts';
import type { PathRule } from './path-rule.ts';

const compile = (glob: string) => picomatch(glob, { dot: true });
const services = {
  api: { paths: ['services/api/**', { glob: 'db/migrations/**', changes: ['added'] }] },
  web: { paths: ['apps/web/**', '!apps/web/**/*.md'], nx: 'web-app' },
  worker: { paths: ['services/worker/**'], turbo: '@shop/worker' },
  docs: {},
} satisfies Record<string, { paths?: PathRule[]; nx?: string; turbo?: string }>;

const map = (
  files: ChangedFile[],
  extra: { shared?: PathRule[]; nx?: string[]; turbo?: string[] } = {},
) =>
  mapAffectedServices({
    services,
    shared: extra.shared ?? [],
    changes: { kind: 'known', files },
    compile,
    nxProjects: extra.nx,
    turboPackages: extra.turbo,
  });

describe('mapAffectedServices', () => {
  it('affects the services whose paths match a changed file, in services: order', () => {
    const result = map([
      { path: 'services/worker/main.go', change: 'modified' },
      { path: 'services/api/.env.example', change: 'added' },
      { path: 'README.md', change: 'modified' },
    ]);
    expect(result.services).toEqual([
      {
        service: 'api',
        reasons: [
          {
            kind: 'file',
            path: 'services/api/.env.example',
            change: 'added',
            glob: 'services/api/**',
          },
        ],
      },
      {
        service: 'worker',
        reasons: [
          {
            kind: 'file',
            path: 'services/worker/main.go',
            change: 'modified',
            glob: 'services/worker/**',
          },
        ],
      },
    ]);
    expect(result.unaffected).toEqual(['web', 'docs']);
  });

  it.each([
    ['added', ['api']],
    ['modified', []],
    ['deleted', []],
  ] as const)('counts a migration %s only where changes: allows it', (change, expected) => {
    const result = map([{ path: 'db/migrations/0007-orders.sql', change }]);
    expect(result.services.map((s) => s.service)).toEqual(expected);
  });

  it('lets a ! glob exclude what the other entries match', () => {
    expect(map([{ path: 'apps/web/docs/intro.md', change: 'modified' }]).services).toEqual([]);
    expect(map([{ path: 'apps/web/src/app.ts', change: 'modified' }]).services[0]?.service).toBe(
      'web',
    );
  });

  it('affects the services of both the old and the new path of a rename', () => {
    const result = map([
      { path: 'services/worker/queue.ts', change: 'renamed', oldPath: 'services/api/queue.ts' },
    ]);
    expect(result.services).toEqual([
      {
        service: 'api',
        reasons: [
          {
            kind: 'file',
            path: 'services/api/queue.ts',
            change: 'renamed',
            glob: 'services/api/**',
            renamedTo: 'services/worker/queue.ts',
          },
        ],
      },
      {
        service: 'worker',
        reasons: [
          {
            kind: 'file',
            path: 'services/worker/queue.ts',
            change: 'renamed',
            glob: 'services/worker/**',
            renamedFrom: 'services/api/queue.ts',
          },
        ],
      },
    ]);
  });

  it('affects every service when a shared path changes, naming the shared glob', () => {
    const result = map([{ path: '.github/workflows/ci.yml', change: 'modified' }], {
      shared: ['package-lock.json', '.github/**'],
    });
    expect(result.services.map((s) => s.service)).toEqual(['api', 'web', 'worker', 'docs']);
    expect(result.services[3]?.reasons).toEqual([
      { kind: 'shared', path: '.github/workflows/ci.yml', change: 'modified', glob: '.github/**' },
    ]);
  });

  it('affects every service, with the reason, when the changes are unknown', () => {
    const result = mapAffectedServices({
      services,
      shared: [],
      changes: { kind: 'unknown', reason: 'no merge-base (a shallow clone)' },
      compile,
    });
    expect(result.unaffected).toEqual([]);
    expect(result.services.map((s) => s.reasons)).toEqual(
      Array(4).fill([{ kind: 'unknown-base', message: 'no merge-base (a shallow clone)' }]),
    );
  });

  it('maps Nx projects and Turborepo packages by their names, warning about the unknown ones', () => {
    const result = map([], { nx: ['web-app', 'docs', 'ghost'], turbo: ['@shop/worker', 'worker'] });
    expect(result.services).toEqual([
      { service: 'web', reasons: [{ kind: 'nx', project: 'web-app' }] },
      { service: 'worker', reasons: [{ kind: 'turbo', package: '@shop/worker' }] },
      { service: 'docs', reasons: [{ kind: 'nx', project: 'docs' }] },
    ]);
    expect(result.warnings).toEqual([
      'Nx project ghost names no service (set services.<name>.nx: ghost)',
      'Turborepo package worker names no service (set services.<name>.turbo: worker)',
    ]);
  });

  it('says nothing is affected when nothing matched', () => {
    const result = map([{ path: 'LICENSE', change: 'modified' }]);
    expect(result).toEqual({
      services: [],
      unaffected: ['api', 'web', 'worker', 'docs'],
      warnings: [],
    });
  });
});
