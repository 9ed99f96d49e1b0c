import { describe, expect, it } from 'vitest';
import { rendererFor, renderers } from './renderers.ts';

describe('rendererFor', () => {
  it('picks Markdown for --markdown, text otherwise', () => {
    expect(rendererFor({ markdown: true })).toBe(renderers.markdown);
    expect(rendererFor({})).toBe(renderers.text);
  });
});
