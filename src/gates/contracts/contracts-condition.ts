import { posix } from 'node:path';
import { z } from 'zod';
import { defineGateCondition } from '../gate-condition.ts';
import { listShort, plural } from '../read-evidence-files.ts';

/** API description files: OpenAPI/Swagger, protobuf, GraphQL schemas, AsyncAPI. */
export const defaultApiGlobs = [
  '**/{openapi,swagger}*.{yaml,yml,json}',
  '**/*.{openapi,swagger}.{yaml,yml,json}',
  '**/asyncapi*.{yaml,yml,json}',
  '**/*.proto',
  '**/*.{graphql,graphqls,gql}',
] as const;

/** Contract tests and pact files: Pact JSON, `*.pact.*` tests, contract-test folders. */
export const defaultTestGlobs = [
  '**/pacts/**/*.json',
  '**/*.pact.*',
  '**/*.{pact,contract}.{test,spec}.*',
  '**/*{Pact,Contract}{Test,Tests,Spec}.*',
  '**/{contract-tests,contract_tests,contracts}/**',
] as const;

const Globs = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)])
  .transform((value) => [value].flat());

/** `- contracts: { api: ["api/**\/*.yaml"], tests: ["pacts/**"] }`. */
export const ContractsOptions = z.strictObject({
  /** Files that describe an API (default: OpenAPI, Swagger, AsyncAPI, protobuf, GraphQL). */
  api: Globs.default([...defaultApiGlobs]),
  /** Contract tests or pact files that must change with them (default: Pact, contract tests). */
  tests: Globs.default([...defaultTestGlobs]),
  /** Files left out of both (generated clients, vendored protos). */
  exclude: Globs.default([]),
});
export type ContractsOptions = z.output<typeof ContractsOptions>;

export type ContractsEvidence = {
  base: string;
  /** Changed files describing an API, sorted. */
  api: string[];
  /** Changed contract tests and pact files, sorted. */
  tests: string[];
};

const matchesAny = (file: string, globs: readonly string[]) =>
  globs.some((glob) => file === glob || posix.matchesGlob(file, glob));

/**
 * `contracts`: when a file describing an API changed since the merge-base (OpenAPI, protobuf,
 * GraphQL schema: `api` globs), a contract test or pact file (`tests` globs) changed too. A file
 * changed by removed lines alone counts (removing an endpoint is the breaking change). No API
 * file changed passes; without a diff (no repository, no base) it is "no evidence".
 */
export const contractsCondition = defineGateCondition<ContractsOptions, ContractsEvidence>({
  id: 'contracts',
  description:
    'when API files (OpenAPI, protobuf, GraphQL) changed since the merge-base, contract tests or pacts changed too',
  options: ContractsOptions,
  label: (options) =>
    `contracts ${options.api.join(',') === defaultApiGlobs.join(',') ? 'OpenAPI/protobuf/GraphQL' : listShort(options.api, 2)}`.slice(
      0,
      120,
    ),
  async gather(options, context) {
    const changes = await context.changes();
    if (changes.kind === 'unavailable')
      return {
        kind: 'missing',
        expected: `the files changed since the merge-base (${changes.reason})`,
        files: [],
      };
    const changed = [...(changes.changed ?? changes.files.keys())]
      .filter((file) => !matchesAny(file, options.exclude))
      .sort();
    const tests = changed.filter((file) => matchesAny(file, options.tests));
    const api = changed.filter((file) => matchesAny(file, options.api) && !tests.includes(file));
    return { kind: 'found', value: { base: changes.base, api, tests }, files: [] };
  },
  evaluate(evidence) {
    const { api, tests, base } = evidence;
    const value = api.length === 0 ? 'no API change' : `${plural(api.length, 'API file')} changed`;
    if (api.length === 0)
      return {
        result: 'pass',
        value,
        threshold: 'contract tests changed with the API',
        message: `no API description file changed since ${base}`,
      };
    if (tests.length > 0)
      return {
        result: 'pass',
        value: `${value}, ${plural(tests.length, 'contract file')} changed`,
        threshold: 'contract tests changed with the API',
        message: `${listShort(api)} changed since ${base}, and so did ${listShort(tests)}`,
      };
    return {
      result: 'fail',
      value: `${value}, no contract test`,
      threshold: 'contract tests changed with the API',
      message: `${listShort(api)} changed since ${base} but no contract test or pact file did: update the consumer contracts (or their verification) with the API`,
      locations: api.slice(0, 200).map((file) => ({
        file,
        message: `API changed without a contract test or pact file change`,
      })),
    };
  },
});
