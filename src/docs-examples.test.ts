import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApiToken } from './app/tokens/api-tokens.ts';
import { openStore } from './store/open-store.ts';
import { candorBin } from './testing/run-cli-binary.ts';
import { startCandorServe, type RunningServer } from './testing/start-candor-serve.ts';

const examples = join(import.meta.dirname, '..', 'docs', 'examples');

/**
 * A stand-in for `npx vitest run --reporter=junit --outputFile=F files...`: a JUnit report with
 * one test per file, `b.test.ts` failing; exit 1 like a runner with a failure.
 */
const fakeVitest = `#!/usr/bin/env bash
out=; files=()
for a in "$@"; do case $a in --outputFile=*) out=\${a#--outputFile=};; run|--reporter=*) ;; *) files+=("$a");; esac; done
mkdir -p "$(dirname "$out")"
{ echo '<testsuites><testsuite name="vitest">'
  for f in "\${files[@]}"; do
    if [ "$f" = b.test.ts ]; then echo "<testcase classname=\\"$f\\" name=\\"works\\" file=\\"$f\\" time=\\"0.2\\"><failure message=\\"boom\\"/></testcase>"
    else echo "<testcase classname=\\"$f\\" name=\\"works\\" file=\\"$f\\" time=\\"1.0\\"/>"; fi
  done
  echo '</testsuite></testsuites>'; } > "$out"
exit 1
`;

/** A repository as a CI runner checks it out, with candor (this checkout) as its devDependency. */
function makeCheckout(dir: string): { sha: string } {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  symlinkSync(candorBin, join(dir, 'node_modules', '.bin', 'candor'));
  writeFileSync(join(dir, 'node_modules', '.bin', 'vitest'), fakeVitest);
  chmodSync(join(dir, 'node_modules', '.bin', 'vitest'), 0o755);
  writeFileSync(join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\necho deployed "$1"\n');
  chmodSync(join(dir, 'scripts', 'deploy.sh'), 0o755);
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","private":true}\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  for (const file of ['a.test.ts', 'b.test.ts', 'c.test.ts']) writeFileSync(join(dir, file), '');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...gitIdentity, PATH: process.env['PATH'] ?? '' },
    }).toString();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'shop');
  return { sha: git('rev-parse', 'HEAD').trim() };
}
const gitIdentity = {
  GIT_AUTHOR_NAME: 'ci',
  GIT_AUTHOR_EMAIL: 'ci@example.com',
  GIT_COMMITTER_NAME: 'ci',
  GIT_COMMITTER_EMAIL: 'ci@example.com',
};

/** Runs one shell script of an example as the runner would; returns its exit code and output. */
function runScript(script: string, cwd: string, env: Record<string, string>) {
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd,
    // The pinned Node first, as actions/setup-node or the image puts it.
    env: { ...env, HOME: cwd, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** What a step or job ran to: the name of the step that failed, or undefined. */
type JobOutcome = { failedAt: string | undefined; output: string };

async function setUp(dir: string): Promise<{ server: RunningServer; token: string }> {
  const db = join(dir, 'candor.db');
  const store = await openStore({ kind: 'sqlite', path: db });
  const { secret } = await createApiToken(store, {
    name: 'ci',
    scopes: ['ingest', 'read'],
    now: new Date().toISOString(),
  });
  await store.close();
  return { server: await startCandorServe(db), token: secret };
}

async function readJson(server: RunningServer, token: string, path: string): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('docs/examples/github-actions.yml', () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-example-gh-'));
    ({ server, token } = await setUp(dir));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  type Step = {
    name?: string;
    run?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
  };
  type Job = { env?: Record<string, string | number>; steps: Step[] };
  const workflow = parse(readFileSync(join(examples, 'github-actions.yml'), 'utf8')) as {
    env: Record<string, string>;
    jobs: Record<string, Job>;
  };

  it("holds every line of the README's pipeline example", () => {
    const readme = readFileSync(join(examples, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use candor in your pipeline'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const file = readFileSync(join(examples, 'github-actions.yml'), 'utf8');
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(file).toContain(line);
  });

  it('pins Node with actions/setup-node and keeps expressions out of its scripts', () => {
    for (const job of Object.values(workflow.jobs)) {
      const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(String(setup?.with?.['node-version'])).toMatch(/^\d+\.\d+\.\d+$/);
      for (const step of job.steps) expect(step.run ?? '').not.toContain('${{');
    }
  });

  it(
    'stores reports, gates on verdicts, reads the flake budget and posts a deployment with only a token',
    { timeout: 240_000 },
    async () => {
      const checkout = join(dir, 'checkout');
      mkdirSync(checkout);
      const { sha } = makeCheckout(checkout);
      const summary = join(dir, 'summary.md');
      const run = (jobId: string, matrix: Record<string, string>): JobOutcome => {
        const job = workflow.jobs[jobId];
        if (job === undefined) throw new Error(`no job ${jobId}`);
        const expressions: Record<string, string> = {
          'vars.CANDOR_URL': server.url,
          'secrets.CANDOR_TOKEN': token,
          'github.run_id': '1001',
          'github.run_attempt': '1',
          'job.status': 'success',
          ...Object.fromEntries(Object.entries(matrix).map(([k, v]) => [`matrix.${k}`, v])),
        };
        const evaluate = (value: string | number) =>
          String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string) => {
            const known = expressions[expression];
            if (known === undefined)
              throw new Error(`the test does not know \${{ ${expression} }}`);
            return known;
          });
        const env: Record<string, string> = {
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_REF_NAME: 'main',
          GITHUB_SHA: sha,
          GITHUB_JOB: jobId,
          GITHUB_STEP_SUMMARY: summary,
        };
        for (const [k, v] of Object.entries({ ...workflow.env, ...job.env })) env[k] = evaluate(v);
        let output = '';
        for (const step of job.steps) {
          // Checkout and setup-node are the runner's; the dependencies are installed already.
          if (step.run === undefined || step.run === 'npm ci') continue;
          const stepEnv = { ...env };
          for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(v);
          const result = runScript(step.run, checkout, stepEnv);
          output += result.stdout + result.stderr;
          if (result.code !== 0) return { failedAt: step.name ?? step.run, output };
        }
        return { failedAt: undefined, output };
      };

      const shards = [run('test', { shard: '1' }), run('test', { shard: '2' })];
      // b.test.ts fails in one shard: that job is red at its verdict, the other is green.
      expect(shards.map((s) => s.failedAt ?? 'green').sort()).toEqual([
        'green',
        'verdict (red only for a failure that is not quarantined)',
      ]);
      const stored = (await readJson(server, token, '/api/v1/runs')) as {
        runs: { id: string; commitSha: string; tests: number }[];
      };
      expect(stored.runs.map((r) => r.id).sort()).toEqual(['gh-1001-1-1', 'gh-1001-1-2']);
      expect(stored.runs.reduce((n, r) => n + r.tests, 0)).toBe(3);
      expect(readFileSync(summary, 'utf8')).toContain('b.test.ts::vitest::works');

      const flakiness = run('flakiness', {});
      expect(flakiness).toMatchObject({ failedAt: undefined });
      expect(readFileSync(summary, 'utf8')).toContain('flake budget');

      const deploy = run('deploy', {});
      expect(deploy.failedAt).toBeUndefined();
      const dora = (await readJson(server, token, '/api/v1/dora?service=shop&window=1d')) as {
        deployments: number;
      };
      expect(dora.deployments).toBe(1);
      expect(readFileSync(summary, 'utf8')).toMatch(/deployment/i);
    },
  );
});

describe('docs/examples/gitlab-ci.yml', () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-example-gl-'));
    ({ server, token } = await setUp(dir));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  type Job = { image?: string; variables?: Record<string, string>; script: string[] };
  const pipeline = parse(readFileSync(join(examples, 'gitlab-ci.yml'), 'utf8')) as {
    default: { image: string; before_script: string[] };
    variables: Record<string, string>;
  } & Record<string, Job>;

  it('pins Node with its image', () => {
    expect(pipeline.default.image).toMatch(/^node:\d+\.\d+\.\d+/);
  });

  it(
    'stores reports, gates on verdicts, reads the flake budget and posts a deployment with only a token',
    { timeout: 240_000 },
    async () => {
      const checkout = join(dir, 'checkout');
      mkdirSync(checkout);
      const { sha } = makeCheckout(checkout);
      const run = (jobId: string, predefined: Record<string, string>): JobOutcome => {
        const job = pipeline[jobId];
        if (job === undefined) throw new Error(`no job ${jobId}`);
        const env: Record<string, string> = {
          CANDOR_URL: server.url,
          CANDOR_TOKEN: token,
          CI_PROJECT_PATH: 'acme/shop',
          CI_COMMIT_REF_NAME: 'main',
          CI_COMMIT_BRANCH: 'main',
          CI_DEFAULT_BRANCH: 'main',
          CI_COMMIT_SHA: sha,
          CI_COMMIT_TIMESTAMP: new Date(Date.now() - 3_600_000).toISOString(),
          CI_PIPELINE_ID: '77',
          CI_JOB_NAME: jobId,
          ...predefined,
        };
        // GitLab expands $VARIABLES in `variables:` values.
        const expand = (value: string) =>
          value.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_all, name: string) => env[name] ?? '');
        for (const [k, v] of Object.entries({ ...pipeline.variables, ...job.variables }))
          env[k] = expand(v);
        // The dependencies are installed already; every other line runs, in one shell per job
        // (as GitLab runs them: a variable set on one line is there on the next).
        const lines = [...pipeline.default.before_script, ...job.script].filter(
          (l) => l !== 'npm ci',
        );
        const script = lines.map((line, i) => `${line}\necho "@@done ${i}" >&2`).join('\n');
        const result = runScript(script, checkout, env);
        const done = [...result.stderr.matchAll(/^@@done \d+$/gm)].length;
        const output = result.stdout + result.stderr;
        return { failedAt: result.code === 0 ? undefined : lines[done], output };
      };

      const shards = [1, 2].map((index) =>
        run('test', { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: '2', CI_JOB_ID: `50${index}` }),
      );
      expect(shards.map((s) => s.failedAt ?? 'green').sort()).toEqual([
        'green',
        'npx candor verdict --server "$CANDOR_URL" --run "$RUN"',
      ]);
      const stored = (await readJson(server, token, '/api/v1/runs')) as { runs: { id: string }[] };
      expect(stored.runs.map((r) => r.id).sort()).toEqual(['gl-501', 'gl-502']);
      const flakiness = run('flakiness', { CI_JOB_ID: '503' });
      expect(flakiness.failedAt).toBeUndefined();
      expect(flakiness.output).toContain('no flaky test needs quarantining');
      const deploy = run('deploy', { CI_JOB_ID: '504' });
      expect(deploy).toMatchObject({ failedAt: undefined });
      const dora = (await readJson(server, token, '/api/v1/dora?service=shop&window=1d')) as {
        deployments: number;
      };
      expect(dora.deployments).toBe(1);
    },
  );
});
