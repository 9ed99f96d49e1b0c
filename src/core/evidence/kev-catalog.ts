import { z } from 'zod';

/** One entry of the CISA Known Exploited Vulnerabilities catalog (its schema's required fields). */
export const KevEntry = z.object({
  cveID: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,19}$/, 'expected a CVE ID (CVE-YYYY-NNNN)'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: z.iso.date(),
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: z.iso.date(),
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  cwes: z.array(z.string()).optional(),
});
export type KevEntry = z.infer<typeof KevEntry>;

/**
 * The CISA KEV catalog as published (`known_exploited_vulnerabilities.json`, cisagov/kev-data,
 * CC0): `catalogVersion` is its date (`2025.08.25`); `count` must equal the entries (a
 * truncated download is refused).
 */
export const KevCatalog = z
  .object({
    title: z.string(),
    catalogVersion: z.string().min(1),
    dateReleased: z.string().min(1),
    count: z.number().int().nonnegative(),
    vulnerabilities: z.array(KevEntry),
  })
  .refine((catalog) => catalog.count === catalog.vulnerabilities.length, {
    message: 'count does not match the number of vulnerabilities (a truncated file?)',
    path: ['count'],
  });
export type KevCatalog = z.infer<typeof KevCatalog>;
