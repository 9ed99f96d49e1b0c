import { describe, expect, it } from 'vitest';
import {
  evaluateLicence,
  normalisePolicy,
  parseLicence,
  formatLicence,
} from './evaluate-licence.ts';

const deny = normalisePolicy({ deny: ['GPL-3.0-only', 'AGPL-3.0-only'] });
const allow = normalisePolicy({
  allow: ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-2.0-only WITH Classpath-exception-2.0'],
});

describe('evaluateLicence', () => {
  it.each([
    ['MIT', ['MIT'], 'allowed'],
    ['GPL-3.0-only', ['GPL-3.0-only'], 'denied'],
    ['an OR with one side fine', ['GPL-3.0-only OR MIT'], 'allowed'],
    ['an AND with one side denied', ['GPL-3.0-only AND MIT'], 'denied'],
    ['deprecated GPL-3.0', ['GPL-3.0'], 'denied'],
    ['lower case ids and operators', ['agpl-3.0-only or mit'], 'allowed'],
    ['lower case denied', ['agpl-3.0-only'], 'denied'],
    ['two entries (AND)', ['MIT', 'AGPL-3.0-only'], 'denied'],
    ['GPL-3.0-or-later (not the denied entry)', ['GPL-3.0-or-later'], 'allowed'],
    ['a LicenseRef', ['LicenseRef-proprietary'], 'unknown'],
    ['an OR of a LicenseRef and an allowed one', ['LicenseRef-x OR MIT'], 'allowed'],
    ['an AND of a LicenseRef and an allowed one', ['LicenseRef-x AND MIT'], 'unknown'],
    ['no licence', [], 'unknown'],
    ['prose', ['MIT License'], 'unknown'],
  ])('with a deny list, reads %s', (_name, licences, status) => {
    expect(evaluateLicence(licences, deny).status).toBe(status);
  });

  it.each([
    ['MIT', 'allowed'],
    ['ISC', 'denied'],
    ['MIT OR ISC', 'allowed'],
    ['(MIT OR ISC) AND BSD-3-Clause', 'allowed'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'allowed'],
    ['GPL-2.0-only', 'denied'],
    ['GPL-2.0 WITH classpath-exception-2.0', 'allowed'],
  ])('with an allow list, reads %s as %s', (licence, status) => {
    expect(evaluateLicence([licence], allow).status).toBe(status);
  });

  it('says why, and what prose may mean without applying it', () => {
    expect(evaluateLicence(['MIT AND AGPL-3.0-only'], deny)).toEqual({
      status: 'denied',
      expression: 'MIT AND AGPL-3.0-only',
      reason: 'AGPL-3.0-only is denied',
    });
    expect(evaluateLicence(['MIT License'], deny)).toEqual({
      status: 'unknown',
      expression: 'MIT License',
      reason: '"MIT License" is not an SPDX expression',
      suggestion: 'MIT',
    });
    expect(evaluateLicence(['ISC'], allow).reason).toBe('ISC is not allowed');
  });

  it('lets deny win over allow for the same entry', () => {
    const both = normalisePolicy({ allow: ['MIT'], deny: ['mit'] });
    expect(evaluateLicence(['MIT'], both).status).toBe('denied');
  });

  it('returns policy entries that are not single licences', () => {
    expect(normalisePolicy({ deny: ['MIT OR ISC', 'not a licence!', 'GPL-2.0+'] })).toMatchObject({
      invalid: ['MIT OR ISC', 'not a licence!'],
      deny: new Set(['GPL-2.0-or-later']),
    });
  });
});

describe('parseLicence', () => {
  it('normalises case and deprecated IDs, keeping precedence', () => {
    const node = parseLicence('(mit or gpl-2.0+) and bsd-3-clause');
    expect(node && formatLicence(node)).toBe('(MIT OR GPL-2.0-or-later) AND BSD-3-Clause');
  });
});
