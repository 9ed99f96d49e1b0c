import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFor, renderers } from './renderers.ts';

const here = import.meta.dirname;
const folders = readdirSync(here).filter((name) => statSync(join(here, name)).isDirectory());

describe('the renderer registry', () => {
  it('registers every folder, and has a folder for every registration', () => {
    expect([...folders].sort()).toEqual(Object.keys(renderers).sort());
  });

  it.each(Object.entries(renderers))('%s: its id is its key, with its files', (key, renderer) => {
    expect(renderer.id).toBe(key);
    expect(renderer.description.trim()).not.toBe('');
    const files = readdirSync(join(here, key));
    expect(files).toEqual(
      expect.arrayContaining([`${key}-renderer.ts`, `${key}-renderer.test.ts`, 'readme.md']),
    );
  });

  it('picks Markdown for --markdown, text otherwise', () => {
    expect(rendererFor({ markdown: true })).toBe(renderers.markdown);
    expect(rendererFor({})).toBe(renderers.text);
  });
});
