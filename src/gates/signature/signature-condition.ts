import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { z } from 'zod';
import { defineGateCondition, type EvidenceProblem } from '../gate-condition.ts';
import { listShort, plural } from '../read-evidence-files.ts';

/** The SLSA provenance predicate types accepted. */
export const slsaPredicateTypes = [
  'https://slsa.dev/provenance/v1',
  'https://slsa.dev/provenance/v0.2',
  'https://slsa.dev/provenance/v0.1',
] as const;

const Globs = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)])
  .transform((value) => [value].flat());

/** `- signature: { files: sbom.cdx.json.sigstore.json, key: cosign.pub, subject: sbom.cdx.json }`. */
export const SignatureOptions = z.strictObject({
  /** Sigstore bundles (cosign `--bundle`, `attest --new-bundle-format`): paths or globs. */
  files: Globs,
  /** The PEM public key the attestation must be signed with (cosign `--key`). */
  key: z.string().min(1),
  /** A SLSA provenance predicate is required (default true). */
  provenance: z.boolean().default(true),
  /** A file whose sha256 must be a subject of the attestation (the SBOM, the image digest file). */
  subject: z.string().min(1).optional(),
});
export type SignatureOptions = z.output<typeof SignatureOptions>;

/** One bundle as verified. */
export type VerifiedBundle = {
  file: string;
  /** Why the signature does not verify, or undefined when it does. */
  error: string | undefined;
  predicateType: string | undefined;
  subjectDigests: string[];
};

export type SignatureEvidence = { bundles: VerifiedBundle[]; subjectDigest: string | undefined };

const emptyRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** The in-toto statement of a DSSE bundle: its predicate type and subjects' sha256. */
function statementOf(json: unknown): { predicateType: string | undefined; digests: string[] } {
  const envelope = (json as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope;
  if (typeof envelope?.payload !== 'string') return { predicateType: undefined, digests: [] };
  try {
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      predicateType?: unknown;
      subject?: { digest?: { sha256?: unknown } }[];
    };
    return {
      predicateType:
        typeof statement.predicateType === 'string' ? statement.predicateType : undefined,
      digests: (statement.subject ?? []).flatMap((s) =>
        typeof s.digest?.sha256 === 'string' ? [s.digest.sha256.toLowerCase()] : [],
      ),
    };
  } catch {
    return { predicateType: undefined, digests: [] };
  }
}

/**
 * `signature`: the attestation is signed: each Sigstore bundle verifies offline against the
 * configured public key (@sigstore/verify, no transparency log or certificate authority
 * consulted: a key-signed attestation), carries a SLSA provenance predicate (`provenance`), and
 * names `subject`'s sha256 among its subjects when given. No bundle is "no evidence".
 */
export const signatureCondition = defineGateCondition<SignatureOptions, SignatureEvidence>({
  id: 'signature',
  description:
    'Sigstore bundles verify offline against a public key, with SLSA provenance (@sigstore/verify)',
  options: SignatureOptions,
  label: (options) => `signature ${listShort(options.files, 2)}`.slice(0, 120),
  async gather(options, context) {
    const files = await context.findFiles(options.files);
    if (files.length === 0)
      return {
        kind: 'missing',
        expected: `a Sigstore bundle at ${options.files.join(', ')}`,
        files: [],
      };
    const keyText = await context.readText(options.key);
    if (keyText === undefined)
      return { kind: 'missing', expected: `the public key ${options.key}`, files };
    const problems: EvidenceProblem[] = [];
    let publicKey: ReturnType<typeof createPublicKey> | undefined;
    try {
      publicKey = createPublicKey(keyText);
    } catch (error) {
      problems.push({
        file: options.key,
        message: `not a PEM public key: ${(error as Error).message}`,
      });
    }
    let subjectDigest: string | undefined;
    if (options.subject !== undefined) {
      const path = isAbsolute(options.subject)
        ? options.subject
        : join(context.root, options.subject);
      try {
        subjectDigest = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
      } catch {
        return { kind: 'missing', expected: `the subject ${options.subject}`, files };
      }
    }
    const bundles: VerifiedBundle[] = [];
    for (const file of files) {
      const text = await context.readText(file);
      let json: unknown;
      try {
        json = JSON.parse(text ?? '');
      } catch (error) {
        problems.push({
          file,
          message: `not JSON: ${(error as Error).message}`,
          line: 1,
          column: 1,
        });
        continue;
      }
      let error: string | undefined;
      try {
        const bundle = bundleFromJSON(json);
        const key = publicKey;
        const trust = toTrustMaterial(emptyRoot, () => ({
          publicKey: key as NonNullable<typeof key>,
          validFor: () => true,
        }));
        new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
          toSignedEntity(bundle),
        );
      } catch (cause) {
        error = (cause as Error).message;
      }
      const statement = statementOf(json);
      bundles.push({
        file,
        error,
        predicateType: statement.predicateType,
        subjectDigests: statement.digests,
      });
    }
    if (problems.length > 0) return { kind: 'invalid', problems, files };
    return { kind: 'found', value: { bundles, subjectDigest }, files };
  },
  evaluate(evidence, options) {
    const wrong: { file: string; why: string }[] = [];
    for (const b of evidence.bundles) {
      if (b.error !== undefined) wrong.push({ file: b.file, why: `does not verify (${b.error})` });
      else if (
        options.provenance &&
        !(slsaPredicateTypes as readonly string[]).includes(b.predicateType ?? '')
      )
        wrong.push({
          file: b.file,
          why: `no SLSA provenance (predicate ${b.predicateType ?? 'none: not an attestation'})`,
        });
      else if (
        evidence.subjectDigest !== undefined &&
        !b.subjectDigests.includes(evidence.subjectDigest)
      )
        wrong.push({ file: b.file, why: `does not name ${options.subject ?? ''} as its subject` });
    }
    const total = evidence.bundles.length;
    if (wrong.length > 0)
      return {
        result: 'fail',
        value: `${wrong.length} of ${plural(total, 'bundle')} refused`,
        threshold: `signed by ${options.key}`,
        message: listShort(
          wrong.map((w) => `${w.file} ${w.why}`),
          3,
        ),
        locations: wrong.map((w) => ({ file: w.file, message: w.why })),
      };
    return {
      result: 'pass',
      value: `${plural(total, 'bundle')} verified`,
      threshold: `signed by ${options.key}`,
      message: `${listShort(evidence.bundles.map((b) => b.file))} signed by ${options.key}${options.provenance ? ', with SLSA provenance' : ''}`,
    };
  },
});
