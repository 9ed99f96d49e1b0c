import { describe, expect, it } from 'vitest';
import { CandorConfig } from '../../config/candor-config.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';
import {
  packageManagers,
  renderStarterConfig,
  type RepositoryDetection,
} from './render-starter-config.ts';

const empty: RepositoryDetection = {
  packageManager: undefined,
  ciProviders: [],
  codeowners: undefined,
  testReports: [],
  coverage: [],
  sarif: [],
  sboms: [],
  secretsCatalog: false,
};

describe('renderStarterConfig', () => {
  it.each([undefined, ...packageManagers])(
    'is a valid candor.yml for package manager %s',
    (manager) => {
      const text = renderStarterConfig({ ...empty, packageManager: manager });
      const parsed = parseYaml(text, CandorConfig);
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
      expect(parsed.ok && Object.keys(parsed.value.value.gates ?? {})).toEqual([
        'change',
        'release',
      ]);
    },
  );

  it('quotes paths that YAML would misread and lists several files', () => {
    const text = renderStarterConfig({
      ...empty,
      testReports: ['a: b/junit.xml', '#x/TEST-1.xml'],
      sarif: ['r/semgrep.sarif'],
    });
    const parsed = parseYaml(text, CandorConfig);
    expect(parsed.ok && parsed.value.value.gates?.['change']?.[0]).toMatchObject({
      kind: 'tests',
      options: { files: ['a: b/junit.xml', '#x/TEST-1.xml'] },
    });
    expect(text).toContain('- findings: { files: "r/semgrep.sarif", maxNew: 0, level: error }');
  });
});
