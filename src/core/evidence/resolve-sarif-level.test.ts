import { describe, expect, it } from 'vitest';
import { resolveSarifLevel, type SarifRules } from './resolve-sarif-level.ts';

const rules: SarifRules = {
  driver: [
    { id: 'no-eval', defaultLevel: 'error' },
    { id: 'style' },
    { id: 'noted', defaultLevel: 'note' },
  ],
  extensions: [[{ id: 'js/sql-injection', defaultLevel: 'error' }]],
  overrides: [],
};

describe('resolveSarifLevel', () => {
  it.each([
    ['its own level', { level: 'note', ruleId: 'no-eval' }, 'note'],
    ['the rule default by id', { ruleId: 'no-eval' }, 'error'],
    ['the rule default by index', { ruleIndex: 2, ruleId: 'other' }, 'note'],
    ['the rule default by rule.index', { rule: { index: 0 } }, 'error'],
    ['warning when the rule has no default', { ruleId: 'style' }, 'warning'],
    ['warning when the rule is unknown', { ruleId: 'nowhere' }, 'warning'],
    ['warning without any rule', {}, 'warning'],
    ['none for kind pass even with a level', { kind: 'pass', level: 'error' }, 'none'],
    ['none for kind review', { kind: 'review', ruleId: 'no-eval' }, 'none'],
    ['the rule of an extension', { rule: { id: 'js/sql-injection', toolComponent: 0 } }, 'error'],
    [
      'warning for an extension that does not exist',
      { rule: { id: 'x', toolComponent: 4 } },
      'warning',
    ],
    [
      'the rule default when the level is not a SARIF level',
      { level: 'ERROR', ruleId: 'no-eval' },
      'error',
    ],
    ['fail like an absent kind', { kind: 'fail', ruleId: 'noted' }, 'note'],
  ] as const)('takes %s', (_, result, expected) => {
    expect(resolveSarifLevel(result, rules)).toBe(expected);
  });

  it('prefers an invocation override to the default configuration', () => {
    const overridden = { ...rules, overrides: [{ id: 'no-eval', level: 'note' }] };
    expect(resolveSarifLevel({ ruleId: 'no-eval' }, overridden)).toBe('note');
    expect(resolveSarifLevel({ ruleId: 'no-eval', level: 'error' }, overridden)).toBe('error');
    const byIndex = { ...rules, overrides: [{ index: 1, level: 'error' }] };
    expect(resolveSarifLevel({ ruleId: 'style' }, byIndex)).toBe('error');
  });
});
