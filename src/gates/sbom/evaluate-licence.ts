import spdxCorrect from 'spdx-correct';
import spdxExceptions from 'spdx-exceptions/index.json' with { type: 'json' };
import parseSpdx from 'spdx-expression-parse';
import spdxDeprecated from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };

/** The canonical spelling of every SPDX licence ID (current and deprecated), by lower case. */
const licenceIds = new Map([...spdxIds, ...spdxDeprecated].map((id) => [id.toLowerCase(), id]));
const exceptionIds = new Map(spdxExceptions.map((id) => [id.toLowerCase(), id]));
const currentIds = new Set(spdxIds);

/** How a licence fares against a policy. */
export type LicenceStatus = 'allowed' | 'denied' | 'unknown';

/** The verdict on one component's licences. */
export type LicenceVerdict = {
  status: LicenceStatus;
  /** The licences as normalised (an SPDX expression), or as written when they do not parse. */
  expression: string;
  /** Why it is denied or unknown: "AGPL-3.0-only is denied", "no licence", … */
  reason?: string | undefined;
  /** For text that is no SPDX expression: what spdx-correct guesses it means (never applied). */
  suggestion?: string | undefined;
};

/** A licence policy: IDs or `ID WITH exception` entries, normalised like the licences. */
export type LicencePolicy = {
  allow?: readonly string[] | undefined;
  deny?: readonly string[] | undefined;
};

type Leaf = { license: string; plus?: true | undefined; exception?: string | undefined };
type Node = Leaf | { conjunction: 'and' | 'or'; left: Node; right: Node };

/**
 * A licence ID in its canonical case, deprecated GNU IDs made explicit and conservative:
 * `GPL-2.0` is `GPL-2.0-only`, `GPL-2.0+` is `GPL-2.0-or-later` (SPDX licence list 3.0 renamed
 * them). Unknown IDs stay as written.
 */
function canonicalLeaf(leaf: Leaf): Leaf {
  const id = licenceIds.get(leaf.license.toLowerCase()) ?? leaf.license;
  const exception =
    leaf.exception && (exceptionIds.get(leaf.exception.toLowerCase()) ?? leaf.exception);
  const only = `${id}-only`;
  if (!currentIds.has(id) && currentIds.has(only)) {
    return { license: leaf.plus ? `${id}-or-later` : only, exception };
  }
  return { license: id, ...(leaf.plus ? { plus: true } : {}), exception };
}

/** Fixes the case of IDs and operators so the case-sensitive parser accepts them (SPDX D.2). */
function normaliseCase(text: string): string {
  return text.replace(/[A-Za-z0-9.+:-]+/g, (word) => {
    const upper = word.toUpperCase();
    if (upper === 'AND' || upper === 'OR' || upper === 'WITH') return upper;
    const plus = word.endsWith('+') ? '+' : '';
    const bare = plus ? word.slice(0, -1) : word;
    const id = licenceIds.get(bare.toLowerCase()) ?? exceptionIds.get(bare.toLowerCase());
    return id === undefined ? word : `${id}${plus}`;
  });
}

/** Parses an SPDX expression after normalising case; undefined when it is none. Never throws. */
export function parseLicence(text: string): Node | undefined {
  try {
    return mapLeaves(parseSpdx(normaliseCase(text.trim())), canonicalLeaf);
  } catch {
    return undefined;
  }
}

function mapLeaves(node: Node, map: (leaf: Leaf) => Leaf): Node {
  if ('conjunction' in node) {
    return {
      conjunction: node.conjunction,
      left: mapLeaves(node.left, map),
      right: mapLeaves(node.right, map),
    };
  }
  return map(node);
}

function leafText(leaf: Leaf): string {
  return `${leaf.license}${leaf.plus ? '+' : ''}${leaf.exception ? ` WITH ${leaf.exception}` : ''}`;
}

/** The expression as text, parenthesised where precedence needs it. */
export function formatLicence(node: Node, parent?: 'and' | 'or'): string {
  if (!('conjunction' in node)) return leafText(node);
  const text = `${formatLicence(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${formatLicence(node.right, node.conjunction)}`;
  return parent === 'and' && node.conjunction === 'or' ? `(${text})` : text;
}

type Outcome = { status: LicenceStatus; reason?: string | undefined };

function judgeLeaf(leaf: Leaf, allow: Set<string> | undefined, deny: Set<string>): Outcome {
  if (
    /^(DocumentRef-[^:]+:)?LicenseRef-/.test(leaf.license) ||
    !licenceIds.has(leaf.license.toLowerCase())
  ) {
    return { status: 'unknown', reason: `${leafText(leaf)} is not an SPDX licence ID` };
  }
  const exact = leafText(leaf);
  const base = `${leaf.license}${leaf.plus ? '+' : ''}`;
  if (deny.has(exact)) return { status: 'denied', reason: `${exact} is denied` };
  if (allow?.has(exact)) return { status: 'allowed' };
  if (deny.has(base)) return { status: 'denied', reason: `${base} is denied` };
  if (allow !== undefined && !allow.has(base)) {
    return { status: 'denied', reason: `${exact} is not allowed` };
  }
  return { status: 'allowed' };
}

/**
 * Three-valued: OR is allowed when either side is, else unknown when either is, else denied;
 * AND is denied when either side is, else unknown when either is, else allowed.
 */
function judge(node: Node, allow: Set<string> | undefined, deny: Set<string>): Outcome {
  if (!('conjunction' in node)) return judgeLeaf(node, allow, deny);
  const left = judge(node.left, allow, deny);
  const right = judge(node.right, allow, deny);
  const [first, second] =
    node.conjunction === 'or' ? ['allowed', 'unknown'] : ['denied', 'unknown'];
  for (const status of [first, second] as LicenceStatus[]) {
    const side = [left, right].find((o) => o.status === status);
    if (side !== undefined) return side;
  }
  return node.conjunction === 'or'
    ? { status: 'denied', reason: [left.reason, right.reason].join('; ') }
    : { status: 'allowed' };
}

/** The policy's entries normalised like licences; entries that do not parse are returned apart. */
export function normalisePolicy(policy: LicencePolicy): {
  allow?: Set<string> | undefined;
  deny: Set<string>;
  invalid: string[];
} {
  const invalid: string[] = [];
  const set = (entries: readonly string[]) =>
    new Set(
      entries.flatMap((entry) => {
        const node = parseLicence(entry);
        if (node === undefined || 'conjunction' in node) {
          invalid.push(entry);
          return [];
        }
        return [leafText(node)];
      }),
    );
  return {
    ...(policy.allow === undefined ? {} : { allow: set(policy.allow) }),
    deny: set(policy.deny ?? []),
    invalid,
  };
}

/**
 * The verdict on a component's licences (all of them apply: read as AND) under a policy:
 * IDs and operators normalised (case, deprecated GNU IDs), then `deny` wins over `allow` for
 * the same entry, an `ID WITH exception` entry over a bare `ID`, and, with `allow` given, any
 * other licence is denied. `GPL-3.0-only OR MIT` is allowed when MIT is. No licence, a
 * `LicenseRef-`, an unknown ID or text that is no expression is `unknown` (with spdx-correct's
 * guess as a suggestion, never applied). Never throws.
 */
export function evaluateLicence(
  licences: readonly string[],
  policy: ReturnType<typeof normalisePolicy>,
): LicenceVerdict {
  if (licences.length === 0) return { status: 'unknown', expression: '', reason: 'no licence' };
  const nodes: Node[] = [];
  for (const text of licences) {
    const node = parseLicence(text);
    if (node === undefined) {
      const guess = safeCorrect(text);
      return {
        status: 'unknown',
        expression: text,
        reason: `"${text}" is not an SPDX expression`,
        ...(guess === undefined ? {} : { suggestion: guess }),
      };
    }
    nodes.push(node);
  }
  const all = nodes.reduce((left, right) => ({ conjunction: 'and' as const, left, right }));
  const outcome = judge(all, policy.allow, policy.deny);
  return { status: outcome.status, expression: formatLicence(all), reason: outcome.reason };
}

function safeCorrect(text: string): string | undefined {
  try {
    return spdxCorrect(text) ?? undefined;
  } catch {
    return undefined;
  }
}
