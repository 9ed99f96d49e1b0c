/** The statuses of a SonarQube quality gate and of its conditions, as the Web API spells them. */
export const qualityGateStatuses = ['OK', 'WARN', 'ERROR', 'NONE'] as const;
export type QualityGateStatus = (typeof qualityGateStatuses)[number];

/** One condition of a quality gate as SonarQube evaluated it. */
export type QualityGateCondition = {
  status: QualityGateStatus;
  metricKey: string;
  /** `LT` (fails when the value is below the threshold) or `GT`; older servers also `EQ`, `NE`. */
  comparator: string | undefined;
  errorThreshold: string | undefined;
  /** SonarQube 7.x and older could also warn. */
  warningThreshold: string | undefined;
  actualValue: string | undefined;
};

/**
 * A saved quality-gate status (`GET api/qualitygates/project_status`): `status` is undefined
 * when the document has no `projectStatus` (not the status answer), which is no evidence.
 */
export type QualityGateReport = {
  status: QualityGateStatus | undefined;
  conditions: QualityGateCondition[];
};
