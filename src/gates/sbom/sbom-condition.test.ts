import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceCondition, scratchRepository } from '../../testing/evidence-gate.ts';
import { sbomCondition } from './sbom-condition.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { evidenceContext, scratchRepositorySync } from '../../testing/evidence-gate.ts';

const fixture = (path: string) =>
  readFileSync(new URL(`../../readers/evidence/${path}`, import.meta.url));
const cdx = fixture('cyclonedx/__fixtures__/shop-api.cdx.json');
const spdx = fixture('spdx/__fixtures__/shop-api.spdx.json');
const bom = (licences: unknown[][]) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: licences.map((licenses, i) => ({ type: 'library', name: `c${i}`, licenses })),
  });

runGateConditionConformance({
  condition: sbomCondition,
  samples: {
    pass: {
      options: { files: 'sbom.json', deny: ['AGPL-3.0-only'] },
      context: evidenceContext(
        scratchRepositorySync({ 'sbom.json': bom([[{ license: { id: 'MIT' } }]]) }),
      ),
      result: 'pass',
    },
    fail: {
      options: { files: 'sbom.cdx.json', deny: ['AGPL-3.0-only'] },
      context: evidenceContext(scratchRepositorySync({ 'sbom.cdx.json': cdx })),
      result: 'fail',
    },
    warn: {
      options: { files: 'sbom.json', deny: ['AGPL-3.0-only'] },
      context: evidenceContext(scratchRepositorySync({ 'sbom.json': bom([[]]) })),
      result: 'warn',
    },
  },
});

describe('sbomCondition', () => {
  it('fails on a denied licence, reports unknown ones with a suggestion', async () => {
    const root = await scratchRepository({ 'sbom.cdx.json': cdx });
    const verdict = await runEvidenceCondition(
      sbomCondition,
      { files: 'sbom.cdx.json', deny: ['GPL-3.0-only', 'AGPL-3.0-only'] },
      root,
    );
    expect(verdict).toMatchObject({ result: 'fail', value: 1, threshold: 0 });
    expect((verdict as { message: string }).message).toBe(
      '1 component of 6 with a denied licence: ghostscript-js@9.0.0 (AGPL-3.0-only is denied); 2 unknown licences: sisu-inject@0.9.0 ("Eclipse Public License 1.0" is not an SPDX expression; did you mean EPL-1.0?) and readline-sync@1.4.10 (no licence)',
    );
  });

  it('passes GPL-3.0-only OR MIT when MIT is allowed', async () => {
    const root = await scratchRepository({
      'sbom.json': bom([[{ expression: 'GPL-3.0-only OR MIT' }], [{ license: { id: 'mit' } }]]),
    });
    expect(
      await runEvidenceCondition(
        sbomCondition,
        { files: 'sbom.json', allow: ['MIT'], deny: ['GPL-3.0-only'] },
        root,
      ),
    ).toMatchObject({
      result: 'pass',
      message: 'no denied licence among 2 components (CycloneDX 1.5)',
    });
  });

  it('warns on unknown licences by default (an OR with a known side is not unknown), fails or passes them when told', async () => {
    const root = await scratchRepository({ 'sbom.spdx.json': spdx });
    const options = { files: 'sbom.spdx.json', deny: ['GPL-3.0-only'] };
    expect(await runEvidenceCondition(sbomCondition, options, root)).toMatchObject({
      result: 'warn',
      message:
        'no denied licence among 4 components (SPDX 2.3); 1 unknown licence: mystery (no licence)',
    });
    expect(
      await runEvidenceCondition(sbomCondition, { ...options, unknown: 'fail' }, root),
    ).toMatchObject({ result: 'fail' });
    expect(
      await runEvidenceCondition(sbomCondition, { ...options, unknown: 'pass' }, root),
    ).toMatchObject({ result: 'pass' });
  });

  it('judges the SBOMs npm 11 writes: deny MIT names both MIT packages, allow MIT and ISC passes, the SPDX project is unknown', async () => {
    const root = await scratchRepository({
      'sbom.cdx.json': fixture('cyclonedx/__fixtures__/producers/npm-11.cdx.json'),
      'sbom.spdx.json': fixture('spdx/__fixtures__/producers/npm-11.spdx.json'),
    });
    const denied = await runEvidenceCondition(
      sbomCondition,
      { files: 'sbom.cdx.json', deny: ['MIT'] },
      root,
    );
    expect(denied).toMatchObject({ result: 'fail', value: 2, threshold: 0 });
    expect((denied as { message: string }).message).toBe(
      '2 components of 3 with a denied licence: is-number@7.0.0 (MIT is denied) and isarray@2.0.5 (MIT is denied)',
    );
    expect(
      await runEvidenceCondition(
        sbomCondition,
        { files: 'sbom.cdx.json', allow: ['MIT', 'ISC'] },
        root,
      ),
    ).toMatchObject({ result: 'pass' });
    const spdxDenied = await runEvidenceCondition(
      sbomCondition,
      { files: 'sbom.spdx.json', deny: ['ISC'] },
      root,
    );
    expect(spdxDenied).toMatchObject({ result: 'fail', value: 1 });
    expect((spdxDenied as { message: string }).message).toBe(
      '1 component of 4 with a denied licence: inherits@2.0.4 (ISC is denied); 1 unknown licence: sbom-sample@1.0.0 ("UNLICENSED" is not an SPDX expression; did you mean Unlicense?)',
    );
  });

  it('fails an SBOM that lists no component', async () => {
    const root = await scratchRepository({ 'sbom.json': bom([]) });
    expect(await runEvidenceCondition(sbomCondition, { files: 'sbom.json' }, root)).toMatchObject({
      result: 'fail',
      message: 'sbom.json lists 0 components (at least 1 expected)',
    });
  });

  it('has no evidence without an SBOM, and refuses one of an unsupported version', async () => {
    const root = await scratchRepository({
      'old.json': JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.1', components: [] }),
    });
    expect(
      await runEvidenceCondition(sbomCondition, { files: 'sbom.cdx.json' }, root),
    ).toMatchObject({
      kind: 'missing',
      expected: 'an SBOM (CycloneDX or SPDX JSON) at sbom.cdx.json',
    });
    expect(await runEvidenceCondition(sbomCondition, { files: 'old.json' }, root)).toMatchObject({
      kind: 'invalid',
      problems: [
        {
          file: 'old.json',
          message: expect.stringMatching(/CycloneDX version "1\.1" is not supported/),
        },
      ],
    });
  });

  it('refuses a policy entry that is not one licence, with its path', () => {
    const parsed = sbomCondition.options.safeParse({
      files: 'x',
      deny: ['MIT', 'MIT OR GPL-2.0-only'],
    });
    expect(!parsed.success && parsed.error.issues[0]).toMatchObject({ path: ['deny', 1] });
  });
});
