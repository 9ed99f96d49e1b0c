import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evidenceContext,
  runEvidenceCondition,
  scratchRepository,
  scratchRepositorySync,
} from '../../testing/evidence-gate.ts';
import {
  runGateConditionConformance,
  type GateConditionSample,
} from '../gate-condition-conformance.ts';
import { signatureCondition } from './signature-condition.ts';
import { describeEnforceWarn } from '../../testing/run-enforced-entry.ts';

const sbom = '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = keys();
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

/**
 * A Sigstore bundle v0.3 as `cosign attest --key cosign.key --new-bundle-format` writes it with
 * no transparency log (`--tlog-upload=false`): an in-toto statement in a DSSE envelope signed
 * with an ECDSA P-256 key, the key named by a hint.
 */
function bundle(
  options: { predicateType?: string; subject?: string; key?: KeyObject } = {},
): string {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'sbom.cdx.json', digest: { sha256: options.subject ?? sha256(sbom) } }],
    predicateType: options.predicateType ?? 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' },
    },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const payloadType = 'application/vnd.in-toto+json';
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `),
    payload,
  ]);
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'release-key' }, tlogEntries: [] },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType,
      signatures: [
        {
          sig: sign('sha256', pae, options.key ?? signer.privateKey).toString('base64'),
          keyid: '',
        },
      ],
    },
  });
}

const repo = (files: Record<string, string>) =>
  evidenceContext(
    scratchRepositorySync({ 'cosign.pub': pem(signer.publicKey), 'sbom.cdx.json': sbom, ...files }),
  );
const options = { files: 'attest/*.sigstore.json', key: 'cosign.pub', subject: 'sbom.cdx.json' };

const failing = {
  options,
  context: repo({ 'attest/sbom.sigstore.json': bundle({ key: keys().privateKey }) }),
  result: 'fail',
} satisfies GateConditionSample;

runGateConditionConformance({
  condition: signatureCondition,
  samples: {
    pass: {
      options,
      context: repo({ 'attest/sbom.sigstore.json': bundle() }),
      result: 'pass',
    },
    fail: failing,
  },
});

const run = async (files: Record<string, string>, more: Record<string, unknown> = {}) =>
  runEvidenceCondition(
    signatureCondition,
    { ...options, ...more },
    await scratchRepository({
      'cosign.pub': pem(signer.publicKey),
      'sbom.cdx.json': sbom,
      ...files,
    }),
  );

describe('signatureCondition', () => {
  it('passes a bundle signed by the key, with SLSA provenance for the subject', async () => {
    expect(await run({ 'attest/a.sigstore.json': bundle() })).toMatchObject({
      result: 'pass',
      value: '1 bundle verified',
      message: 'attest/a.sigstore.json signed by cosign.pub, with SLSA provenance',
    });
  });

  it('fails a bundle signed by another key, or whose payload was altered', async () => {
    expect(
      await run({ 'attest/a.sigstore.json': bundle({ key: keys().privateKey }) }),
    ).toMatchObject({
      result: 'fail',
      message: 'attest/a.sigstore.json does not verify (signature verification failed)',
    });
    const tampered = JSON.parse(bundle()) as { dsseEnvelope: { payload: string } };
    tampered.dsseEnvelope.payload = Buffer.from('{"predicateType": "x"}').toString('base64');
    expect(await run({ 'attest/a.sigstore.json': JSON.stringify(tampered) })).toMatchObject({
      result: 'fail',
    });
  });

  it('fails without SLSA provenance (unless not required), or for another subject', async () => {
    const vuln = bundle({ predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1' });
    expect(await run({ 'attest/a.sigstore.json': vuln })).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('no SLSA provenance') as string,
    });
    expect(await run({ 'attest/a.sigstore.json': vuln }, { provenance: false })).toMatchObject({
      result: 'pass',
    });
    expect(
      await run({ 'attest/a.sigstore.json': bundle({ subject: 'ab'.repeat(32) }) }),
    ).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('does not name sbom.cdx.json as its subject') as string,
    });
  });

  it('is no evidence without a bundle or a key; a bundle that is not JSON is invalid', async () => {
    expect(await run({})).toMatchObject({ kind: 'missing' });
    expect(await run({ 'attest/a.sigstore.json': bundle() }, { key: 'none.pub' })).toMatchObject({
      kind: 'missing',
      expected: 'the public key none.pub',
    });
    expect(await run({ 'attest/a.sigstore.json': '{"mediaType": ' })).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'attest/a.sigstore.json' }],
    });
  });
});

/**
 * Keyless: `__fixtures__/keyless.sigstore.json` is a bundle v0.3 shaped as cosign writes it
 * for a GitHub Actions identity: a leaf certificate (made with openssl, issued by the test root
 * CA of `trusted_root.json`, SAN the release workflow, Fulcio issuer extension), a DSSE
 * envelope signed with its key, and a Rekor-style dsse entry with a signed entry timestamp and
 * a checkpoint-signed inclusion proof by the test log of `trusted_root.json`. `other_root.json`
 * holds another CA. Nothing is fetched.
 */
describe('signatureCondition, keyless bundles against a trusted root', () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`__fixtures__/${name}`, import.meta.url), 'utf8');
  const workflow = 'https://github.com/shop/demo/.github/workflows/release.yml@refs/heads/main';
  const keyless = {
    files: 'attest/*.sigstore.json',
    trustedRoot: '.sigstore/trusted_root.json',
    identity: workflow,
    issuer: 'https://token.actions.githubusercontent.com',
    subject: 'sbom.cdx.json',
  };
  const runKeyless = async (files: Record<string, string>, more: Record<string, unknown> = {}) =>
    runEvidenceCondition(
      signatureCondition,
      { ...keyless, ...more },
      await scratchRepository({
        'sbom.cdx.json': fixture('sbom.cdx.json'),
        '.sigstore/trusted_root.json': fixture('trusted_root.json'),
        '.sigstore/other_root.json': fixture('other_root.json'),
        'attest/a.sigstore.json': fixture('keyless.sigstore.json'),
        ...files,
      }),
    );

  it('passes a bundle whose certificate chains to the trusted root, for the identity and issuer', async () => {
    expect(await runKeyless({})).toMatchObject({
      result: 'pass',
      value: '1 bundle verified',
      threshold: `signed by ${workflow} (https://token.actions.githubusercontent.com) under .sigstore/trusted_root.json`,
    });
  });

  it('fails another root, identity or issuer, an altered payload, and a log entry the root does not vouch for', async () => {
    expect(await runKeyless({}, { trustedRoot: '.sigstore/other_root.json' })).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('Failed to verify certificate chain') as string,
    });
    expect(
      await runKeyless(
        {},
        { identity: 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main' },
      ),
    ).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('does not verify') as string,
    });
    expect(await runKeyless({}, { issuer: 'https://accounts.google.com' })).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('invalid certificate extension') as string,
    });
    const bundle = JSON.parse(fixture('keyless.sigstore.json')) as {
      dsseEnvelope: { payload: string };
      verificationMaterial: { tlogEntries: { integratedTime: string }[] };
    };
    const tampered = structuredClone(bundle);
    tampered.dsseEnvelope.payload = Buffer.from('{"predicateType": "x"}').toString('base64');
    expect(await runKeyless({ 'attest/a.sigstore.json': JSON.stringify(tampered) })).toMatchObject({
      result: 'fail',
    });
    const backdated = structuredClone(bundle);
    const entry = backdated.verificationMaterial.tlogEntries[0];
    if (entry !== undefined) entry.integratedTime = String(Number(entry.integratedTime) - 60);
    expect(await runKeyless({ 'attest/a.sigstore.json': JSON.stringify(backdated) })).toMatchObject(
      {
        result: 'fail',
        message: expect.stringContaining('inclusion promise could not be verified') as string,
      },
    );
  });

  it('is no evidence without the trusted root; a root that is not one is invalid; the options pair', async () => {
    expect(await runKeyless({}, { trustedRoot: 'none.json' })).toMatchObject({
      kind: 'missing',
      expected: 'the trusted root none.json',
    });
    expect(await runKeyless({ '.sigstore/trusted_root.json': '{"tlogs": []}' })).toMatchObject({
      kind: 'invalid',
      problems: [{ file: '.sigstore/trusted_root.json' }],
    });
    expect(() => signatureCondition.options.parse({ ...keyless, key: 'cosign.pub' })).toThrow(
      'give exactly one of key',
    );
    expect(() => signatureCondition.options.parse({ ...keyless, issuer: undefined })).toThrow(
      'identity and issuer go with trustedRoot',
    );
    expect(() => signatureCondition.options.parse({ ...options, identity: workflow })).toThrow(
      'identity and issuer go with trustedRoot',
    );
  });
});

describeEnforceWarn(signatureCondition, failing);
