import { describe, expect, it } from 'vitest';
import { fillJsonTemplate, fillTemplate } from './fill-template.ts';

describe('fillTemplate', () => {
  it('replaces placeholders, spaces inside the braces allowed', () => {
    expect(
      fillTemplate('undo {{service}} -n {{ environment }}', {
        service: 'checkout',
        environment: 'prod',
      }),
    ).toEqual({
      ok: true,
      value: 'undo checkout -n prod',
    });
  });

  it('inserts a value as it is: no shell, no further expansion', () => {
    expect(fillTemplate('{{reason}}', { reason: '$(rm -rf /) {{service}}' })).toEqual({
      ok: true,
      value: '$(rm -rf /) {{service}}',
    });
  });

  it('names an unknown placeholder and one without a value', () => {
    const unknown = fillTemplate('{{version}}', {});
    expect(unknown.ok).toBe(false);
    expect(unknown.ok ? [] : unknown.errors[0]).toContain('{{version}} is not a placeholder');
    const missing = fillTemplate('{{deployment}}', { service: 's' });
    expect(missing.ok ? [] : missing.errors).toEqual(['{{deployment}} has no value here']);
  });

  it('fills every string of a JSON body, not its keys', () => {
    expect(
      fillJsonTemplate(
        { '{{service}}': ['{{service}}', 1, null, { to: '{{environment}}' }] },
        { service: 'a', environment: 'b' },
      ),
    ).toEqual({ ok: true, value: { '{{service}}': ['a', 1, null, { to: 'b' }] } });
  });
});
