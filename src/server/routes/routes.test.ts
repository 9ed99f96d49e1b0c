import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from './routes.ts';

const here = import.meta.dirname;

describe('the route registry', () => {
  it('registers every route a *-route.ts file exports, once', async () => {
    const exported = new Set<unknown>();
    for (const file of readdirSync(here).filter((name) => name.endsWith('-route.ts'))) {
      const module = (await import(join(here, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module))
        if (name.endsWith('Route') && typeof value === 'function') exported.add(value);
    }
    expect(new Set(routes)).toEqual(exported);
    expect(routes).toHaveLength(exported.size);
  });
});
