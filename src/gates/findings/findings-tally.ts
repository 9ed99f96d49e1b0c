import {
  isAtLeastLevel,
  type Finding,
  type SarifLevel,
  type StreamedFinding,
} from '../../core/evidence/finding.ts';
import { isRepoRelativeUri, normaliseArtifactUri } from './normalise-artifact-uri.ts';

/** How a current finding was matched to one of the baseline, or that it is new. */
export type FindingMatch = 'fingerprint' | 'line-content' | 'message' | 'new';

/** The new findings listed by default (the count is exact whatever the cap). */
export const defaultMaxListed = 50;

// A key is stored as a 96-bit hash of its parts, not as its text (the keys of 220,000 findings
// are 60 MB of strings): three 32-bit multiplicative hashes (cyrb53's two lanes and FNV-1a),
// finalised. Two different keys are taken for one only when all 96 bits agree (about 2⁻⁹⁶ per
// pair).
let h1 = 0;
let h2 = 0;
let h3 = 0;
function begin(): void {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  h3 = 0x811c9dc5;
}
function feed(text: string): void {
  // The lanes in locals while the loop runs: module variables would be loaded and stored at every
  // character (twice the time over a 50 MB baseline, docs/adr/0045).
  let a = h1;
  let b = h2;
  let c = h3;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 2654435761);
    b = Math.imul(b ^ code, 1597334677);
    c = Math.imul(c ^ code, 16777619);
  }
  // A separator no text holds between parts, so ("ab", "c") and ("a", "bc") differ.
  h1 = Math.imul(a ^ 0x10000, 2654435761);
  h2 = Math.imul(b ^ 0x10000, 1597334677);
  h3 = Math.imul(c ^ 0x10000, 16777619);
}
/** Finalises the parts fed since `begin` into `h1`, `h2`, `h3`. */
function end(): void {
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  h1 = a | 0;
  h2 = b | 0;
  h3 = Math.imul(h3 ^ (h3 >>> 15), 2246822507) | 0;
}

/** An open-addressing table from a 96-bit key (`h1`, `h2`, `h3`) to an int, in typed arrays. */
class KeyTable {
  #a = new Int32Array(1 << 12);
  #b = new Int32Array(1 << 12);
  #c = new Int32Array(1 << 12);
  #value = new Int32Array(1 << 12).fill(-1);
  #size = 0;

  /** The slot of the current key (`h1`, `h2`, `h3`): where it is, or the free slot it would take. */
  #slot(): number {
    const mask = this.#value.length - 1;
    let slot = h1 & mask;
    while (
      this.#value[slot] !== -1 &&
      (this.#a[slot] !== h1 || this.#b[slot] !== h2 || this.#c[slot] !== h3)
    )
      slot = (slot + 1) & mask;
    return slot;
  }

  /** The value of the current key, or −1. */
  get(): number {
    return this.#value[this.#slot()] as number;
  }

  /** The value of the current key; when it has none, sets `value` (≥ 0) and returns −1. */
  getOrSet(value: number): number {
    let slot = this.#slot();
    const found = this.#value[slot] as number;
    if (found !== -1) return found;
    if ((this.#size + 1) * 2 > this.#value.length) {
      this.#grow();
      slot = this.#slot();
    }
    this.#size++;
    this.#a[slot] = h1;
    this.#b[slot] = h2;
    this.#c[slot] = h3;
    this.#value[slot] = value;
    return -1;
  }

  #grow(): void {
    const [a, b, c, value] = [this.#a, this.#b, this.#c, this.#value];
    const [k1, k2, k3] = [h1, h2, h3];
    const capacity = value.length * 2;
    this.#a = new Int32Array(capacity);
    this.#b = new Int32Array(capacity);
    this.#c = new Int32Array(capacity);
    this.#value = new Int32Array(capacity).fill(-1);
    for (let i = 0; i < value.length; i++) {
      if (value[i] === -1) continue;
      h1 = a[i] as number;
      h2 = b[i] as number;
      h3 = c[i] as number;
      const slot = this.#slot();
      this.#a[slot] = h1;
      this.#b[slot] = h2;
      this.#c[slot] = h3;
      this.#value[slot] = value[i] as number;
    }
    [h1, h2, h3] = [k1, k2, k3];
  }
}

/** A growable Int32Array. */
class Ints {
  array = new Int32Array(1024);
  length = 0;
  push(value: number): number {
    if (this.length === this.array.length) {
      const grown = new Int32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length] = value;
    return this.length++;
  }
}

const kinds = { fingerprint: 'f', snippet: 's', message: 'm' } as const;

/**
 * The findings of a baseline, as match keys only (no finding is kept): per key (tool, rule and
 * a fingerprint; tool, rule, file and snippet; tool, rule, file and message), the baseline
 * findings that have it, in order, each usable once. About 60 bytes per key.
 */
export class BaselineIndex {
  /** Key → chain: the first and last entry of the findings with that key. */
  readonly #chains = new KeyTable();
  readonly #first = new Ints();
  readonly #last = new Ints();
  /** Entries: the finding, the next entry of the chain (−1: none). */
  readonly #finding = new Ints();
  readonly #next = new Ints();
  /** Per finding: 1 once matched; 1 when it has fingerprints. */
  #used = new Uint8Array(1024);
  #hasFingerprints = new Uint8Array(1024);
  #count = 0;
  readonly #root: string;
  readonly #uris = new Map<string, string>();

  constructor(root: string) {
    this.#root = root;
  }

  /** Findings added. */
  get size(): number {
    return this.#count;
  }

  /** The URI made repository-relative (cached: a tool names the same files again and again). */
  uriOf(uri: string | undefined): string {
    if (uri === undefined) return '';
    if (isRepoRelativeUri(uri, this.#root)) return uri;
    let normalised = this.#uris.get(uri);
    if (normalised === undefined) {
      normalised = normaliseArtifactUri(uri, this.#root);
      if (this.#uris.size > 50_000) this.#uris.clear();
      this.#uris.set(uri, normalised);
    }
    return normalised;
  }

  /** Adds a finding of the baseline, reported by `tool`. */
  add(tool: string, finding: Omit<Finding, 'level'>): void {
    const id = this.#count++;
    if (id === this.#used.length) {
      const used = new Uint8Array(id * 2);
      used.set(this.#used);
      this.#used = used;
      const has = new Uint8Array(id * 2);
      has.set(this.#hasFingerprints);
      this.#hasFingerprints = has;
    }
    const hasFingerprints = finding.fingerprints.length > 0;
    this.#hasFingerprints[id] = hasFingerprints ? 1 : 0;
    const flag = hasFingerprints ? '1' : '0';
    for (const fingerprint of finding.fingerprints) {
      keyOf(kinds.fingerprint, tool, finding.ruleId, fingerprint);
      this.#insert(id);
    }
    const uri = this.uriOf(finding.uri);
    if (finding.snippet) {
      keyOf(kinds.snippet + flag, tool, finding.ruleId, uri, finding.snippet);
      this.#insert(id);
    }
    keyOf(kinds.message + flag, tool, finding.ruleId, uri, finding.message);
    this.#insert(id);
  }

  /** Appends finding `id` to the chain of the current key. */
  #insert(id: number): void {
    const entry = this.#finding.push(id);
    this.#next.push(-1);
    // One look-up: a new key's chain is the next one.
    const chain = this.#chains.getOrSet(this.#first.length);
    if (chain === -1) {
      this.#first.push(entry);
      this.#last.push(entry);
    } else {
      const last = this.#last.array[chain] as number;
      this.#next.array[last] = entry;
      this.#last.array[chain] = entry;
    }
  }

  /**
   * The first unused baseline finding with this key (skipping, and dropping from the chain's
   * start, the used ones), or −1. Does not use it.
   */
  #firstUnused(): number {
    const chain = this.#chains.get();
    if (chain === -1) return -1;
    let entry = this.#first.array[chain] as number;
    // Used findings at the start are dropped for good: amortised, a look is O(1).
    while (entry !== -1 && this.#used[this.#finding.array[entry] as number] === 1) {
      entry = this.#next.array[entry] as number;
      this.#first.array[chain] = entry;
    }
    for (; entry !== -1; entry = this.#next.array[entry] as number) {
      const id = this.#finding.array[entry] as number;
      if (this.#used[id] === 0) return id;
    }
    return -1;
  }

  /**
   * Matches a current finding (of `tool`, its URI already repository-relative) to the first
   * unused baseline finding: a shared fingerprint; else, when the two do not both carry
   * fingerprints, the same rule, file and snippet; else the same rule, file and message. The
   * matched baseline finding is used up.
   */
  match(tool: string, finding: Omit<Finding, 'level'>, uri: string): FindingMatch {
    if (this.#count === 0) return 'new';
    for (const fingerprint of finding.fingerprints) {
      keyOf(kinds.fingerprint, tool, finding.ruleId, fingerprint);
      const id = this.#firstUnused();
      if (id !== -1) return this.#use(id, 'fingerprint');
    }
    const hasFingerprints = finding.fingerprints.length > 0;
    const fallback = (kind: string, text: string): number => {
      // A baseline finding without fingerprints may always match; one with them only a current
      // finding without (the two do not both carry fingerprints).
      keyOf(`${kind}0`, tool, finding.ruleId, uri, text);
      const a = this.#firstUnused();
      if (hasFingerprints) return a;
      keyOf(`${kind}1`, tool, finding.ruleId, uri, text);
      const b = this.#firstUnused();
      return a === -1 ? b : b === -1 ? a : Math.min(a, b);
    };
    if (finding.snippet) {
      const id = fallback(kinds.snippet, finding.snippet);
      if (id !== -1) return this.#use(id, 'line-content');
    }
    const id = fallback(kinds.message, finding.message);
    if (id !== -1) return this.#use(id, 'message');
    return 'new';
  }

  #use(id: number, how: FindingMatch): FindingMatch {
    this.#used[id] = 1;
    return how;
  }
}

/** Makes the key of these parts the current one (`h1`, `h2`, `h3`). */
function keyOf(kind: string, tool: string, rule: string, a: string, b?: string): void {
  begin();
  feed(kind);
  feed(tool);
  feed(rule);
  feed(a);
  if (b !== undefined) feed(b);
  end();
}

/** A new finding listed, with the file and tool it came from. */
export type ListedFinding = Finding & { file: string; tool: string };

export type FindingsAssessment = {
  /** Runs whose tool did not run (`results` absent or null): the gate fails on them. */
  notRun: { file: string; run: number; tool: string }[];
  /** New findings at or above the level: exact. */
  newCount: number;
  /** The first new findings at or above the level (at most `maxListed`), in file and result order. */
  newFindings: ListedFinding[];
  /** Findings (at any level) matched to the baseline. */
  matched: number;
  /** New findings below the level: not counted. */
  belowLevel: number;
  /** Findings read in the current files (unsuppressed), and those left out as suppressed. */
  total: number;
  suppressed: number;
};

/** A run of a current file as the tally needs it at the end: whether it ran, its levels. */
export type TalliedRun = {
  tool: string;
  didRun: boolean;
  suppressed: number;
  levelOf(levelKey: string): SarifLevel;
};

type LevelGroup = { count: number; listed: (ListedFinding & { order: number })[] };

/**
 * Counts the new findings of current SARIF files against a `BaselineIndex` as they stream,
 * holding no finding but the first `maxListed` of each level key (a level is only known when
 * a file ends: an override may come after the results). Matching is per tool and greedy in
 * file and result order: each current finding takes the first unused baseline finding it
 * matches (`BaselineIndex.match`). Pure; never throws.
 */
export class FindingsTally {
  readonly #baseline: BaselineIndex;
  readonly #level: SarifLevel;
  readonly #maxListed: number;
  #file = '';
  /** Per file read: level key → new findings of it. */
  #groups = new Map<string, LevelGroup>();
  readonly #assessment: FindingsAssessment = {
    notRun: [],
    newCount: 0,
    newFindings: [],
    matched: 0,
    belowLevel: 0,
    total: 0,
    suppressed: 0,
  };
  #order = 0;
  #listed: (ListedFinding & { order: number })[] = [];

  constructor(baseline: BaselineIndex, options: { level: SarifLevel; maxListed?: number }) {
    this.#baseline = baseline;
    this.#level = options.level;
    this.#maxListed = options.maxListed ?? defaultMaxListed;
  }

  /** Starts a current file: its findings follow, then `endFile` with its runs. */
  startFile(file: string): void {
    this.#file = file;
    this.#groups = new Map();
  }

  /** One finding of the current file, of `run` (its index in the file) and `tool`. */
  add(finding: StreamedFinding, run: number, tool: string): void {
    this.#assessment.total++;
    const uri = finding.uri === undefined ? undefined : this.#baseline.uriOf(finding.uri);
    const how = this.#baseline.match(tool, finding, uri ?? '');
    if (how !== 'new') {
      this.#assessment.matched++;
      return;
    }
    const key = `${run}\0${finding.levelKey}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { count: 0, listed: [] };
      this.#groups.set(key, group);
    }
    group.count++;
    if (group.listed.length < this.#maxListed) {
      group.listed.push({
        ruleId: finding.ruleId,
        uri,
        startLine: finding.startLine,
        message: finding.message,
        fingerprints: finding.fingerprints,
        snippet: finding.snippet,
        level: 'warning',
        file: this.#file,
        tool,
        order: this.#order,
      });
    }
    this.#order++;
  }

  /** Ends the current file with its runs: resolves the levels of its new findings. */
  endFile(runs: readonly TalliedRun[]): void {
    runs.forEach((run, index) => {
      this.#assessment.suppressed += run.suppressed;
      if (!run.didRun)
        this.#assessment.notRun.push({ file: this.#file, run: index, tool: run.tool });
    });
    for (const [key, group] of this.#groups) {
      const separator = key.indexOf('\0');
      const run = runs[Number(key.slice(0, separator))];
      const level = run?.levelOf(key.slice(separator + 1)) ?? 'warning';
      if (!isAtLeastLevel(level, this.#level)) {
        this.#assessment.belowLevel += group.count;
        continue;
      }
      this.#assessment.newCount += group.count;
      for (const listed of group.listed) listed.level = level;
      this.#listed.push(...group.listed);
    }
    this.#listed.sort((a, b) => a.order - b.order);
    this.#listed.length = Math.min(this.#listed.length, this.#maxListed);
    this.#groups = new Map();
  }

  /** The assessment of every file ended so far. */
  result(): FindingsAssessment {
    return {
      ...this.#assessment,
      notRun: [...this.#assessment.notRun],
      newFindings: this.#listed.map(({ order: _, ...finding }) => finding),
    };
  }
}
