/** One component (package) of an SBOM and the licences it declares. */
export type SbomComponent = {
  name: string;
  version?: string | undefined;
  purl?: string | undefined;
  /**
   * Its licences as written: SPDX expressions, SPDX IDs or free-text names. All of them apply
   * (several entries are read as AND). Empty when it declares none (or only NOASSERTION/NONE).
   */
  licences: string[];
};

/** An SBOM: its format and version and its components (nested ones flattened). */
export type Sbom = {
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  components: SbomComponent[];
};
