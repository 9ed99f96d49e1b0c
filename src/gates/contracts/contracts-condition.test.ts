import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { readChanges } from '../../app/gates/read-changes.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { ChangeSet } from '../gate-condition.ts';
import { ContractsOptions, contractsCondition } from './contracts-condition.ts';

const added = (...files: string[]) =>
  Object.fromEntries(files.map((file) => [file, [{ line: 1, text: 'x' }]]));

runGateConditionConformance({
  condition: contractsCondition,
  samples: {
    pass: {
      options: {},
      context: fakeGateContext({ added: added('api/openapi.yaml', 'pacts/web-shop.json') }),
      result: 'pass',
    },
    fail: {
      options: { api: 'proto/**/*.proto' },
      context: fakeGateContext({ added: added('proto/shop/v1/cart.proto', 'src/cart.ts') }),
      result: 'fail',
    },
  },
});

const decide = async (options: Record<string, unknown>, changes: ChangeSet) => {
  const parsed = ContractsOptions.parse(options);
  const context = { ...fakeGateContext(), changes: async () => changes };
  const evidence = await contractsCondition.gather(parsed, context);
  if (evidence.kind !== 'found') return evidence;
  return contractsCondition.evaluate(evidence.value, parsed, context.now);
};

describe('contractsCondition', () => {
  it('fails on a real branch that removed an endpoint from the OpenAPI file without touching the pacts', async () => {
    const repo = makeGitRepo();
    repo.commit('base', {
      'api/openapi.yaml': 'paths:\n  /carts: {}\n  /orders: {}\n',
      'schema.graphql': 'type Query { a: Int }\n',
      'pacts/web-shop.json': '{}\n',
      'src/a.ts': 'a\n',
    });
    repo.git('checkout', '--quiet', '-b', 'feature');
    // Only a removed line: the breaking change a diff of added lines would not see.
    repo.commit('drop orders', { 'api/openapi.yaml': 'paths:\n  /carts: {}\n', 'src/a.ts': 'b\n' });
    repo.git('rm', '--quiet', 'schema.graphql');
    repo.git('commit', '--quiet', '-m', 'drop graphql');
    expect(await decide({}, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'fail',
      value: '2 API files changed, no contract test',
      message: expect.stringContaining(
        'api/openapi.yaml and schema.graphql changed since main',
      ) as string,
      locations: [{ file: 'api/openapi.yaml' }, { file: 'schema.graphql' }],
    });

    repo.commit('update the pact', { 'pacts/web-shop.json': '{"interactions": []}\n' });
    expect(await decide({}, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'pass',
      value: '2 API files changed, 1 contract file changed',
    });
  });

  it('passes when no API file changed, and leaves excluded files out', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'src/a.ts': 'a\n' });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feature', {
      'src/a.ts': 'b\n',
      'vendor/google/api.proto': 'syntax = "proto3";\n',
    });
    expect(
      await decide({ exclude: 'vendor/**' }, await readChanges(repo.root, 'main')),
    ).toMatchObject({ result: 'pass', value: 'no API change' });
    expect(await decide({}, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'fail',
    });
  });

  it.each([
    ['a Pact JS test', 'test/cart.pact.test.ts'],
    ['a Java contract test', 'src/test/java/shop/CartContractTest.java'],
    ['a contract-tests folder', 'contract-tests/cart.spec.js'],
    ['a pact file', 'build/pacts/web-cart.json'],
  ])('counts %s as a contract change by default', async (_name, file) => {
    const changes: ChangeSet = {
      kind: 'diff',
      base: 'main',
      mergeBase: 'x',
      files: new Map(),
      changed: new Set(['proto/cart.proto', file]),
    };
    expect(await decide({}, changes)).toMatchObject({ result: 'pass' });
  });

  it('is no evidence without a diff, never a pass', async () => {
    expect(
      await decide({}, { kind: 'unavailable', reason: 'the base main is not a commit here' }),
    ).toMatchObject({
      kind: 'missing',
      expected: 'the files changed since the merge-base (the base main is not a commit here)',
    });
  });

  it('warns instead of failing with enforce: warn', async () => {
    const context = fakeGateContext({ added: added('api/openapi.json') });
    const result = await evaluateChecklist(
      'change',
      [
        {
          kind: 'contracts',
          name: 'contracts',
          enforce: 'warn',
          options: ContractsOptions.parse({}),
        },
      ],
      context,
    );
    expect(result).toMatchObject({
      result: 'warn',
      conditions: [{ result: 'warn', value: '1 API file changed, no contract test' }],
    });
  });
});
