import type { Deployment, ProductionDeployments } from './collect-deployments.ts';
import { isInWindow, type DoraOptions } from './dora-options.ts';
import type { LedgerEvent } from './ledger-event.ts';

/** An incident and the deployment it was linked to, and how (DEFINITIONS.md). */
export type IncidentLink = { incident: string; deployment: string; link: 'explicit' | 'inferred' };

/**
 * An incident opened in the window that links to no production deployment, and why: it names a
 * deployment (`unknown-deployment`) or a commit (`unknown-commit`) candor has no production
 * deployment of, or it names neither and no production deployment of its service started within
 * the incident window before it (`no-recent-deployment`).
 */
export type UnlinkedIncident = {
  incident: string;
  openedAt: string;
  reason: 'unknown-deployment' | 'unknown-commit' | 'no-recent-deployment';
};

/** How a report names an incident: its id, else when it opened. Never throws. */
export function incidentName(e: { incident: string | null; at: number }): string {
  return e.incident ?? `(unnamed at ${new Date(e.at).toISOString()})`;
}

/** Why an incident links to no production deployment (`UnlinkedIncident`). Never throws. */
export function unlinkedReason(e: {
  deployment: string | null;
  commit: string | null;
}): UnlinkedIncident['reason'] {
  return e.deployment !== null
    ? 'unknown-deployment'
    : e.commit !== null
      ? 'unknown-commit'
      : 'no-recent-deployment';
}

/** An incident that links to no production deployment, as a report lists it. Never throws. */
export function unlinkedIncident(e: {
  incident: string | null;
  at: number;
  deployment: string | null;
  commit: string | null;
}): UnlinkedIncident & { at: number } {
  return {
    incident: incidentName(e),
    openedAt: new Date(e.at).toISOString(),
    reason: unlinkedReason(e),
    at: e.at,
  };
}

/** An incident as the metrics need it: when it opened, and when it was resolved (null: not yet). */
export type OpenedIncident = { opened: number; resolved: number | null };

/** An `incident_opened` as kept until every deployment of the service is known. */
export type IncidentOpening = {
  at: number;
  incident: string | null;
  deployment: string | null;
  commit: string | null;
};

/** Collects the incidents of one service from its events in replay order. */
export type IncidentCollector = {
  /** Takes `incident_opened` and `incident_resolved`; ignores the others. */
  add(event: LedgerEvent): void;
  /** Every `incident_opened`, in time order. */
  readonly openings: readonly IncidentOpening[];
  /** The latest resolution of an incident id; null when it has none (or has no id). */
  resolutionOf(incident: string | null): number | null;
};

/**
 * Keeps each `incident_opened` (its link is decided once every deployment is known) and the
 * latest `incident_resolved` time per incident id. Pure; never throws.
 */
export function createIncidentCollector(): IncidentCollector {
  const resolvedAt = new Map<string, number>();
  const openings: IncidentOpening[] = [];
  return {
    add(event) {
      if (event.type === 'incident_resolved') {
        if (event.incident !== null) resolvedAt.set(event.incident, event.at);
      } else if (event.type === 'incident_opened') {
        openings.push({
          at: event.at,
          incident: event.incident,
          deployment: event.deployment,
          commit: event.commit,
        });
      }
    },
    openings,
    resolutionOf: (incident) => (incident === null ? null : (resolvedAt.get(incident) ?? null)),
  };
}

/**
 * Links each incident to a production deployment (DEFINITIONS.md "Incidents and their
 * deployments"): explicitly when it names the deployment or one of its commits (the earliest
 * such deployment); else, when it names neither, by inference to the latest deployment that
 * started at most `incidentWindowMs` before it opened. An incident naming a deployment or commit
 * that is not known stays unlinked. On each target it records the incident's resolution and a
 * failure signal when the incident opened after the deployment started: for an explicit link
 * whatever the delay, for an inferred one within the incident window. Returns the links (with
 * the opening time, for ordering), every incident, linked or not (for rework), and the incidents
 * opened in the window (`options.from`..`options.to`) that stayed unlinked, with why. Never
 * throws.
 */
export function linkIncidents(
  incidents: IncidentCollector,
  deployments: ProductionDeployments,
  options: Pick<DoraOptions, 'incidentWindowMs' | 'from' | 'to'>,
): {
  links: (IncidentLink & { at: number })[];
  incidents: OpenedIncident[];
  unlinked: (UnlinkedIncident & { at: number })[];
} {
  const links: (IncidentLink & { at: number })[] = [];
  const unlinked: (UnlinkedIncident & { at: number })[] = [];
  const all: OpenedIncident[] = [];
  for (const e of incidents.openings) {
    const resolved = incidents.resolutionOf(e.incident);
    all.push({ opened: e.at, resolved });
    let target = earliest(
      e.deployment === null ? undefined : deployments.byId(e.deployment),
      e.commit === null ? undefined : deployments.byCommit(e.commit)?.[0],
    );
    let link: IncidentLink['link'] = 'explicit';
    if (!target && e.deployment === null && e.commit === null) {
      const latest = deployments.lastStartedBy(e.at);
      if (latest && e.at - latest.startedAt <= options.incidentWindowMs) target = latest;
      link = 'inferred';
    }
    const name = incidentName(e);
    if (!target) {
      if (isInWindow(e.at, options)) unlinked.push(unlinkedIncident(e));
      continue;
    }
    links.push({ incident: name, deployment: target.id, link, at: e.at });
    (target.incidentsResolved ??= []).push(resolved);
    if (
      e.at >= target.startedAt &&
      (link === 'explicit' || e.at - target.startedAt <= options.incidentWindowMs) &&
      e.at < target.firstFailure
    )
      target.firstFailure = e.at;
  }
  return { links, incidents: all, unlinked };
}

/** The one that started first (lower start-order index) of two candidates. */
function earliest(a: Deployment | undefined, b: Deployment | undefined): Deployment | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.index <= b.index ? a : b;
}
