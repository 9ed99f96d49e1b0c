import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CanaryStartRequest, FlaggerWebhook } from '../../contracts/canary.ts';

const example = (name: string) =>
  parse(
    readFileSync(new URL(`../../../docs/examples/${name}`, import.meta.url), 'utf8'),
  ) as unknown;

/** The integration examples of docs/examples send what the canary routes accept. */
describe('the canary integration examples', () => {
  it('has Argo POST a start request the route accepts, reading $.verdict, never ending on pending', () => {
    const template = example('argo-rollouts-analysis-template.yml') as {
      spec: {
        metrics: {
          count: number;
          inconclusiveLimit: number;
          failureLimit: number;
          successCondition: string;
          failureCondition: string;
          provider: { web: { url: string; method: string; jsonBody: unknown; jsonPath: string } };
        }[];
      };
    };
    const [metric] = template.spec.metrics;
    expect(metric!.provider.web.url).toMatch(/\/api\/v1\/canaries$/);
    expect(metric!.provider.web.method).toBe('POST');
    const body = JSON.parse(
      JSON.stringify(metric!.provider.web.jsonBody)
        .replaceAll('{{args.service}}', 'shop')
        .replaceAll('{{args.rollout-hash}}', 'rs-1'),
    );
    expect(CanaryStartRequest.safeParse(body).success).toBe(true);
    expect(metric!.provider.web.jsonPath).toBe('{$.verdict}');
    expect(metric!.successCondition).toBe('result == "promote"');
    expect(metric!.failureCondition).toBe('result == "rollback"');
    expect(metric!.inconclusiveLimit).toBeGreaterThanOrEqual(metric!.count);
    expect(metric!.failureLimit).toBe(0);
  });

  it('has Flagger call the three hooks candor answers, with the metadata it reads', () => {
    const canary = example('flagger-canary.yml') as {
      metadata: { name: string; namespace: string };
      spec: {
        analysis: { webhooks: { type: string; url: string; metadata: Record<string, string> }[] };
      };
    };
    const hooks = canary.spec.analysis.webhooks;
    expect(hooks.map((h) => h.type)).toEqual(['pre-rollout', 'confirm-promotion', 'rollback']);
    for (const hook of hooks) {
      expect(hook.url).toMatch(new RegExp(`/api/v1/canaries/flagger/${hook.type}$`));
      expect(
        FlaggerWebhook.safeParse({
          name: canary.metadata.name,
          namespace: canary.metadata.namespace,
          phase: 'Progressing',
          metadata: hook.metadata,
        }).success,
      ).toBe(true);
      expect(hook.metadata.token).toBeDefined();
    }
    expect(hooks[0]!.metadata).toMatchObject({
      baseline: 'version=stable',
      canary: 'version=canary',
    });
  });
});
