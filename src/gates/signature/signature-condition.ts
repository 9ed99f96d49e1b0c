import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { TrustMaterial, toSignedEntity } from '@sigstore/verify';
import { z } from 'zod';
import { CandorError } from '../../core/lib/candor-error.ts';
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

/**
 * `- signature: { files: sbom.cdx.json.sigstore.json, key: cosign.pub, subject: sbom.cdx.json }`,
 * or keyless: `{ files: …, trustedRoot: trusted_root.json, identity: …, issuer: … }`.
 */
export const SignatureOptions = z
  .strictObject({
    /** Sigstore bundles (cosign `--bundle`, `attest --new-bundle-format`): paths or globs. */
    files: Globs,
    /** The PEM public key the attestation must be signed with (cosign `--key`). */
    key: z.string().min(1).optional(),
    /**
     * Keyless: a Sigstore trusted root (`trusted_root.json`, as `cosign verify --trusted-root`
     * reads it) the bundle's certificate must chain to, and whose logs its entries must be in.
     */
    trustedRoot: z.string().min(1).optional(),
    /** Keyless: the certificate's subject alternative name (cosign `--certificate-identity`). */
    identity: z.string().min(1).optional(),
    /** Keyless: the certificate's OIDC issuer (cosign `--certificate-oidc-issuer`). */
    issuer: z.string().min(1).optional(),
    /** A SLSA provenance predicate is required (default true). */
    provenance: z.boolean().default(true),
    /** A file whose sha256 must be a subject of the attestation (the SBOM, the image digest file). */
    subject: z.string().min(1).optional(),
  })
  .refine((o) => (o.key === undefined) !== (o.trustedRoot === undefined), {
    message: 'signature: give exactly one of key (a public key) or trustedRoot (keyless)',
    path: ['key'],
  })
  .refine(
    (o) =>
      o.trustedRoot === undefined
        ? o.identity === undefined && o.issuer === undefined
        : o.identity !== undefined && o.issuer !== undefined,
    {
      message: 'signature: identity and issuer go with trustedRoot, and are required with it',
      path: ['identity'],
    },
  );
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

/**
 * The sigstore libraries (about 40 modules), loaded when a signature entry is gathered, not
 * with every checklist that has none (docs/adr/0045).
 */
async function loadSigstore() {
  const [bundle, specs, verify] = await Promise.all([
    import('@sigstore/bundle'),
    import('@sigstore/protobuf-specs'),
    import('@sigstore/verify'),
  ]);
  return {
    bundleFromJSON: bundle.bundleFromJSON,
    TrustedRoot: specs.TrustedRoot,
    Verifier: verify.Verifier,
    toSignedEntity: verify.toSignedEntity,
    toTrustMaterial: verify.toTrustMaterial,
  };
}
type Sigstore = Awaited<ReturnType<typeof loadSigstore>>;

/** Who the bundles must be signed by, as the verdict says it. */
function signedBy(options: SignatureOptions): string {
  return options.key !== undefined
    ? `signed by ${options.key}`
    : `signed by ${options.identity ?? ''} (${options.issuer ?? ''}) under ${options.trustedRoot ?? ''}`;
}

type Trust =
  | { kind: 'missing'; expected: string }
  | { kind: 'invalid' }
  | { kind: 'found'; verify: (entity: ReturnType<typeof toSignedEntity>) => void };

/**
 * What verifies a bundle: the public key (no log, authority or timestamp consulted), or the
 * trusted root (keyless: the certificate chains to one of its authorities at a verified
 * timestamp, each kind of log the root lists vouches for the entry once, and the certificate
 * names `identity` and `issuer`). Unreadable trust material is a problem pushed on `problems`.
 */
async function trustOf(
  options: SignatureOptions,
  context: { readText: (path: string) => Promise<string | undefined> },
  problems: EvidenceProblem[],
  { TrustedRoot, Verifier, toTrustMaterial }: Sigstore,
): Promise<Trust> {
  if (options.trustedRoot !== undefined) {
    const text = await context.readText(options.trustedRoot);
    if (text === undefined)
      return { kind: 'missing', expected: `the trusted root ${options.trustedRoot}` };
    let trust: TrustMaterial;
    let root: TrustedRoot;
    try {
      root = TrustedRoot.fromJSON(JSON.parse(text));
      trust = toTrustMaterial(root);
    } catch (error) {
      problems.push({
        file: options.trustedRoot,
        message: `not a Sigstore trusted root: ${(error as Error).message}`,
      });
      return { kind: 'invalid' };
    }
    if (root.certificateAuthorities.length === 0) {
      problems.push({
        file: options.trustedRoot,
        message: 'not a Sigstore trusted root for keyless bundles: no certificateAuthorities',
      });
      return { kind: 'invalid' };
    }
    const verifier = new Verifier(trust, {
      tlogThreshold: root.tlogs.length > 0 ? 1 : 0,
      ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
      timestampThreshold: 1,
    });
    const { identity, issuer } = options;
    // The schema requires both with trustedRoot; never verify keyless without an identity.
    if (identity === undefined || issuer === undefined)
      throw new CandorError('internal', 'signature: keyless without identity and issuer');
    const policy = { subjectAlternativeName: identity, extensions: { issuer } };
    return { kind: 'found', verify: (entity) => void verifier.verify(entity, policy) };
  }
  const key = options.key ?? '';
  const keyText = await context.readText(key);
  if (keyText === undefined) return { kind: 'missing', expected: `the public key ${key}` };
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey(keyText);
  } catch (error) {
    problems.push({ file: key, message: `not a PEM public key: ${(error as Error).message}` });
    return { kind: 'invalid' };
  }
  const trust = toTrustMaterial(emptyRoot, () => ({ publicKey, validFor: () => true }));
  const verifier = new Verifier(trust, {
    tlogThreshold: 0,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  return { kind: 'found', verify: (entity) => void verifier.verify(entity) };
}

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
 * consulted: a key-signed attestation) or, keyless, against a trusted root file with the
 * certificate's identity and issuer, carries a SLSA provenance predicate (`provenance`), and
 * names `subject`'s sha256 among its subjects when given. No bundle is "no evidence".
 */
export const signatureCondition = defineGateCondition<SignatureOptions, SignatureEvidence>({
  id: 'signature',
  description:
    'Sigstore bundles verify offline against a public key or a trusted root (keyless), with SLSA provenance (@sigstore/verify)',
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
    const problems: EvidenceProblem[] = [];
    const sigstore = await loadSigstore();
    const trust = await trustOf(options, context, problems, sigstore);
    if (trust.kind === 'missing') return { kind: 'missing', expected: trust.expected, files };
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
        if (trust.kind === 'found')
          trust.verify(sigstore.toSignedEntity(sigstore.bundleFromJSON(json)));
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
        threshold: signedBy(options),
        message: listShort(
          wrong.map((w) => `${w.file} ${w.why}`),
          3,
        ),
        locations: wrong.map((w) => ({ file: w.file, message: w.why })),
      };
    return {
      result: 'pass',
      value: `${plural(total, 'bundle')} verified`,
      threshold: signedBy(options),
      message: `${listShort(evidence.bundles.map((b) => b.file))} ${signedBy(options)}${options.provenance ? ', with SLSA provenance' : ''}`,
    };
  },
});
