import uPlot from 'uplot';
import type {
  Dashboard,
  DashboardDeployment,
  DashboardReport,
  DashboardTest,
  DeploymentTimeline,
  FourKeys,
  Panel,
} from '../../../../src/contracts/dashboard.ts';
import {
  dashboardFilterNames,
  dashboardTokenKey,
  type DashboardPartName,
} from '../../../../src/contracts/dashboard-page.ts';

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
const palette = { blue: '#0072B2', orange: '#E69F00', green: '#009E73', red: '#D55E00' };
const windows = ['7d', '14d', '30d', '90d'] as const;
const tokenKey = dashboardTokenKey;

/** `inlined`: the data of a `candor report --html` file, which fetches nothing. */
type Settings = { isPublic: boolean; inlined: DashboardReport | undefined };

/**
 * The dashboard page: filters in the URL, its four parts fetched together and each panel drawn
 * as its part arrives (`/api/v1/dashboard/{filters,delivery,tests,releases}`); or,
 * in a `candor report --html` file, the data inlined in the page (no request at all).
 */
export function renderDashboard(root: HTMLElement): void {
  const inlinedText = document.getElementById('candor-data')?.textContent;
  const settings: Settings = {
    isPublic:
      document.querySelector('meta[name="candor-public"]')?.getAttribute('content') === 'true',
    inlined: inlinedText ? (JSON.parse(inlinedText) as DashboardReport) : undefined,
  };
  setUpTheme();
  if (settings.inlined) {
    draw(root, settings.inlined.dashboard, settings);
    return;
  }
  void load(root, settings);
}

function setUpTheme(): void {
  const saved = localStorage.getItem('candor-theme');
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset['theme'] = saved;
}

function currentTheme(): 'light' | 'dark' {
  const set = document.documentElement.dataset['theme'];
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function filtersFromUrl(): URLSearchParams {
  const url = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of dashboardFilterNames) {
    const value = url.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

/**
 * The part requests the page's inline script started before this script loaded
 * (`src/server/dashboard-page.ts`), taken once: only when they were made with these filters.
 */
function takeEarlyRequests(query: string): Record<string, Promise<Response>> | undefined {
  const holder = window as {
    candorEarly?: { query: string; parts: Record<string, Promise<Response>> };
  };
  const early = holder.candorEarly;
  delete holder.candorEarly;
  return early?.query === query ? early.parts : undefined;
}

async function api<T>(path: string, settings: Settings, started?: Promise<Response>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = sessionStorage.getItem(tokenKey);
  if (!settings.isPublic && token) headers['authorization'] = `Bearer ${token}`;
  const response = await (started ?? fetch(path, { headers }));
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) {
    const error = new Error(body?.error?.message ?? `HTTP ${response.status}`);
    error.name = response.status === 401 ? 'Unauthorized' : 'ApiError';
    throw error;
  }
  return body as T;
}

/** The dashboard's parts, each its own request (README "The dashboard's API"), and their panels. */
const parts = {
  // Quick ones first: the server answers them while the others still read.
  filters: [],
  releases: ['releases'],
  delivery: ['keys', 'delivery', 'quality'],
  tests: ['tests'],
} as const satisfies Record<DashboardPartName, readonly PanelId[]>;
type PanelId = 'keys' | 'delivery' | 'quality' | 'tests' | 'releases';

/** Bumped by every load: an answer to an older one (the filters changed since) is dropped. */
let generation = 0;

/**
 * Draws the page at once, every panel "Loading…", then requests the four parts together and
 * draws each panel as its part arrives; a failed part shows its message on its panels.
 */
async function load(root: HTMLElement, settings: Settings): Promise<void> {
  if (!settings.isPublic && !sessionStorage.getItem(tokenKey)) {
    showLogin(root, settings);
    return;
  }
  const mine = ++generation;
  const state: Partial<Dashboard> = {};
  draw(root, state, settings);
  // Marks a reader's tools (and bench part x) can read: the shell drawn, then every panel.
  performance.mark('candor:dashboard-shell');
  const query = filtersFromUrl().toString();
  const early = takeEarlyRequests(query);
  await Promise.all(
    Object.entries(parts).map(async ([part, panels]) => {
      try {
        const data = await api<Partial<Dashboard>>(
          `/api/v1/dashboard/${part}?${query}`,
          settings,
          early?.[part],
        );
        if (mine !== generation) return;
        Object.assign(state, data);
        if (part === 'filters') {
          document.querySelector('header')?.replaceWith(header(state, settings, root));
          document.querySelector('footer')?.replaceWith(footer(state));
        } else
          for (const id of panels)
            document.getElementById(`panel-${id}`)?.replaceWith(panelOf(id, state, settings));
      } catch (error) {
        if (mine !== generation) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        if (failure.name === 'Unauthorized') {
          generation++;
          sessionStorage.removeItem(tokenKey);
          showLogin(root, settings, failure.message);
          return;
        }
        const message = `could not load: ${failure.message}`;
        if (part === 'filters')
          document
            .querySelector('footer')
            ?.replaceChildren(el('p', { class: 'error', role: 'alert' }, `The filters ${message}`));
        for (const id of panels)
          document
            .getElementById(`panel-${id}`)
            ?.replaceWith(
              panelShell(id, 'error', [
                el('p', { class: 'error', role: 'alert' }, `This panel ${message}`),
              ]),
            );
      }
    }),
  );
  if (mine === generation) performance.mark('candor:dashboard-drawn');
}

function showLogin(root: HTMLElement, settings: Settings, message?: string): void {
  const input = el('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    required: '',
  });
  const form = el(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, 'candor'),
    el('p', {}, 'Paste a token with the read scope (candor token create --scope read).'),
    el('label', { for: 'token' }, 'Token'),
    input,
    el('button', { type: 'submit' }, 'Open the dashboard'),
    message ? el('p', { class: 'error', role: 'alert' }, message) : '',
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(tokenKey, input.value.trim());
    void load(root, settings);
  });
  root.replaceChildren(form);
  input.focus();
}

function header(data: Partial<Dashboard>, settings: Settings, root: HTMLElement): HTMLElement {
  const query = filtersFromUrl();
  const select = (name: string, label: string, options: string[], value: string) => {
    const control = el(
      'select',
      { id: `filter-${name}`, name, disabled: settings.inlined ? '' : undefined },
      ...options.map((option) =>
        el(
          'option',
          { value: option, selected: option === value ? '' : undefined },
          option || 'all',
        ),
      ),
    );
    control.addEventListener('change', () => {
      const next = filtersFromUrl();
      if (control.value) next.set(name, control.value);
      else next.delete(name);
      history.pushState(null, '', `${location.pathname}?${next.toString()}`);
      void load(root, settings);
    });
    return el('label', { class: 'filter' }, `${label} `, control);
  };
  const services = ['', ...(data.filters?.services ?? [])];
  const service = data.filters?.service ?? query.get('service') ?? '';
  if (!services.includes(service)) services.push(service);
  const envInput = el('input', {
    id: 'filter-env',
    name: 'env',
    value: data.filters?.environment ?? query.get('env') ?? 'production',
    size: '10',
    disabled: settings.inlined ? '' : undefined,
  });
  envInput.addEventListener('change', () => {
    const next = filtersFromUrl();
    next.set('env', envInput.value.trim() || 'production');
    history.pushState(null, '', `${location.pathname}?${next.toString()}`);
    void load(root, settings);
  });
  const toggle = el('button', { type: 'button', id: 'theme-toggle' }, 'Dark/light');
  toggle.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset['theme'] = next;
    localStorage.setItem('candor-theme', next);
    draw(root, data, settings);
  });
  const controls: (HTMLElement | string)[] = [
    select('service', 'Service', services, service),
    el('label', { class: 'filter' }, 'Environment ', envInput),
    select('window', 'Window', [...windows], data.filters?.window ?? query.get('window') ?? '30d'),
    toggle,
  ];
  if (!settings.isPublic && !settings.inlined) {
    const out = el('button', { type: 'button', id: 'sign-out' }, 'Sign out');
    out.addEventListener('click', () => {
      sessionStorage.removeItem(tokenKey);
      showLogin(root, settings);
    });
    controls.push(out);
  }
  return el(
    'header',
    {},
    el('h1', {}, 'candor: are we shipping faster, breaking less, recovering quicker?'),
    el('nav', { class: 'filters', 'aria-label': 'Filters' }, ...controls),
  );
}

const titles: Record<PanelId, string> = {
  keys: 'The four keys',
  delivery: 'Delivery',
  quality: 'Pipeline quality',
  tests: 'Test truth',
  releases: 'Recent releases',
};

/** The whole page from what has arrived so far: a panel without its data says "Loading…". */
function draw(root: HTMLElement, data: Partial<Dashboard>, settings: Settings): void {
  const main = el(
    'main',
    {},
    ...(['keys', 'delivery', 'quality', 'tests', 'releases'] as const).map((id) =>
      panelOf(id, data, settings),
    ),
    el('section', { id: 'timeline', class: 'panel', hidden: '', 'aria-live': 'polite' }),
  );
  root.replaceChildren(header(data, settings, root), main, footer(data));
}

function footer(data: Partial<Dashboard>): HTMLElement {
  return el(
    'footer',
    {},
    data.generatedAt === undefined || data.filters === undefined
      ? ''
      : `generated ${data.generatedAt} · window ${data.filters.window} · ${data.filters.environment}`,
  );
}

function panelOf(id: PanelId, data: Partial<Dashboard>, settings: Settings): HTMLElement {
  switch (id) {
    case 'keys':
      return data.keys === undefined
        ? loadingPanel(id)
        : panel(id, data.keys, (p) =>
            keysView(p.current, p.previous, settings.inlined !== undefined),
          );
    case 'delivery':
      return data.delivery === undefined
        ? loadingPanel(id)
        : panel(id, data.delivery, deliveryView);
    case 'quality':
      return data.quality === undefined ? loadingPanel(id) : panel(id, data.quality, qualityView);
    case 'tests':
      return data.tests === undefined ? loadingPanel(id) : panel(id, data.tests, testsView);
    case 'releases':
      return data.releases === undefined
        ? loadingPanel(id)
        : panel(id, data.releases, (p) => releasesView(p.deployments, settings));
  }
}

function loadingPanel(id: PanelId): HTMLElement {
  return panelShell(id, 'loading', [el('p', { class: 'loading', role: 'status' }, 'Loading…')]);
}

/** A panel's section: `status` is ok, no-data, loading or error (`data-status`, for tests). */
function panelShell(id: PanelId, status: string, body: Node[]): HTMLElement {
  return el(
    'section',
    {
      id: `panel-${id}`,
      class: 'panel',
      'aria-labelledby': `title-${id}`,
      'aria-busy': status === 'loading' ? 'true' : undefined,
      'data-status': status,
    },
    el('h2', { id: `title-${id}` }, titles[id]),
    ...body,
  );
}

function panel<T>(id: PanelId, data: Panel<T>, view: (value: T) => Node[]): HTMLElement {
  let body: Node[];
  try {
    body =
      data.status === 'no-data'
        ? [
            el(
              'p',
              { class: 'no-data' },
              el('strong', {}, 'No data yet: how to send it. '),
              data.hint,
            ),
          ]
        : view(data);
  } catch (error) {
    body = [el('p', { class: 'error', role: 'alert' }, `This panel failed: ${String(error)}`)];
  }
  return panelShell(id, data.status, body);
}

const definitions: Record<string, string> = {
  deploymentFrequencyPerDay: 'definitions.html#deploymentFrequencyPerDay',
  leadTimeSeconds: 'definitions.html#leadTimeSeconds',
  changeFailureRate: 'definitions.html#changeFailureRate',
  recoveryTimeSeconds: 'definitions.html#recoveryTimeSeconds',
};

/** `isReport`: the definitions are in the page (`candor report --html`), not at definitions.html. */
function keysView(current: FourKeys, previous: FourKeys, isReport: boolean): Node[] {
  const card = (
    field: string,
    label: string,
    value: number | null,
    before: number | null,
    format: (n: number | null) => string,
    isBetterHigher: boolean,
  ) => {
    let trend = 'no previous data';
    let tone = 'flat';
    if (value !== null && before !== null) {
      const delta = value - before;
      const arrow = delta > 0 ? '↑' : delta < 0 ? '↓' : '→';
      tone = delta === 0 ? 'flat' : delta > 0 === isBetterHigher ? 'better' : 'worse';
      trend = `${arrow} ${delta >= 0 ? '+' : '−'}${format(Math.abs(delta))} vs previous ${current.window.days}d`;
    }
    return el(
      'div',
      { class: 'key', 'data-key': field },
      el(
        'a',
        {
          href: isReport ? `#${field}` : (definitions[field] ?? 'definitions.html'),
          class: 'key-label',
        },
        label,
      ),
      el('span', { class: 'key-value' }, format(value)),
      el('span', { class: `trend ${tone}` }, trend),
    );
  };
  return [
    el(
      'div',
      { class: 'keys' },
      card(
        'deploymentFrequencyPerDay',
        'Deployment frequency',
        current.deploymentFrequencyPerDay,
        previous.deployments > 0 ? previous.deploymentFrequencyPerDay : null,
        perDay,
        true,
      ),
      card(
        'leadTimeSeconds',
        'Lead time (p50)',
        current.leadTimeSeconds.median,
        previous.leadTimeSeconds.median,
        duration,
        false,
      ),
      card(
        'changeFailureRate',
        'Change failure rate',
        current.changeFailureRate,
        previous.changeFailureRate,
        percent,
        false,
      ),
      card(
        'recoveryTimeSeconds',
        'Recovery time (p50)',
        current.recoveryTimeSeconds.median,
        previous.recoveryTimeSeconds.median,
        duration,
        false,
      ),
    ),
    el(
      'p',
      { class: 'small' },
      `${current.deployments} deployments in this window, ${previous.deployments} in the previous one`,
    ),
  ];
}

function deliveryView(p: Extract<Dashboard['delivery'], { status: 'ok' }>): Node[] {
  const days = p.deploymentsPerDay.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
  const weeks = p.weekly.map((w) => Date.parse(w.from) / 1000);
  return [
    el('h3', {}, 'Deployments per day'),
    chart(
      [days, p.deploymentsPerDay.map((d) => d.deployments)],
      [{ label: 'deployments', stroke: palette.blue, bars: true }],
    ),
    // The chart's numbers as a table too (screen readers, and exact values), folded away.
    el(
      'details',
      {},
      el('summary', {}, 'Deployments per day as a table'),
      table(
        ['day', 'deployments'],
        p.deploymentsPerDay.map((d) => [d.day, String(d.deployments)]),
        'per-day',
      ),
    ),
    el('h3', {}, 'Lead time and recovery per week'),
    chart(
      [
        weeks,
        p.weekly.map((w) => hours(w.leadTimeSeconds.median)),
        p.weekly.map((w) => hours(w.leadTimeSeconds.p90)),
        p.weekly.map((w) => hours(w.recoveryTimeSeconds.median)),
      ],
      [
        { label: 'lead time p50 (h)', stroke: palette.blue },
        { label: 'lead time p90 (h)', stroke: palette.orange },
        { label: 'recovery p50 (h)', stroke: palette.red },
      ],
    ),
    table(
      [
        'week from',
        'deployments',
        'lead time p50',
        'lead time p90',
        'change failure rate',
        'recovery p50',
      ],
      p.weekly.map((w) => [
        w.from.slice(0, 10),
        String(w.deployments),
        duration(w.leadTimeSeconds.median),
        duration(w.leadTimeSeconds.p90),
        percent(w.changeFailureRate),
        duration(w.recoveryTimeSeconds.median),
      ]),
      'weekly',
    ),
    el('h3', {}, 'Stage latency (where time goes)'),
    p.stageLatency.length === 0
      ? el('p', { class: 'small' }, 'No stages recorded yet.')
      : table(
          ['from', 'to', 'p50', 'p90', 'changes'],
          p.stageLatency.map((s) => [
            s.from,
            s.to,
            duration(s.p50),
            duration(s.p90),
            String(s.count),
          ]),
          'stages',
        ),
  ];
}

function qualityView(p: Extract<Dashboard['quality'], { status: 'ok' }>): Node[] {
  return [
    el(
      'dl',
      { class: 'facts' },
      ...fact('Gate false positives', percent(p.falsePositiveRate)),
      ...fact('Gate false negatives', percent(p.falseNegativeRate)),
      ...fact('Time to detect (p50)', duration(p.timeToDetectSeconds.median)),
      ...fact('Rollback success', percent(p.rollbackSuccessRate)),
    ),
    el('h3', {}, 'Per gate'),
    p.gates.length === 0
      ? el('p', { class: 'small' }, 'No gate results yet: candor gate <checklist> records them')
      : table(
          ['gate', 'blocked', 'true catches', 'false positives', 'passed', 'false negatives'],
          p.gates.map((g) => [
            g.checklist,
            String(g.blocked),
            String(g.trueCatches),
            `${g.blockedThenShipped} (${percent(g.falsePositiveShare)})`,
            String(g.passed),
            `${g.passedThenFailed} (${percent(g.falseNegativeShare)})`,
          ]),
          'gates',
          (row) => (row[2] === '0' ? 'stale' : ''),
        ),
    el('h3', {}, 'Last rollback drill per service'),
    p.drills.length === 0
      ? el('p', { class: 'small' }, 'No drills yet: candor rollback drill --service S')
      : table(
          ['service', 'environment', 'last drill', 'age', 'status'],
          p.drills.map((d) => [
            d.service,
            d.environment,
            d.last?.occurredAt.slice(0, 10) ?? 'never',
            d.ageDays === null ? '—' : `${d.ageDays} days`,
            d.stale ? `✗ ${d.status}` : '✓ fresh',
          ]),
          'drills',
          (row) => (row[4]?.startsWith('✗') ? 'stale' : ''),
        ),
  ];
}

function testsView(p: Extract<Dashboard['tests'], { status: 'ok' }>): Node[] {
  const rate = p.budget.rate ?? 0;
  const gauge = el('meter', {
    min: '0',
    max: String(Math.max(p.budget.max * 2, rate)),
    value: String(rate),
    high: String(p.budget.max),
    optimum: '0',
    'aria-label': 'flake rate against the budget',
  });
  const testRows = (tests: DashboardTest[]) =>
    tests.map((t) => [
      t.key,
      percent(t.flakyRate),
      `${t.failures}/${t.executions}`,
      // The newest three, run ids shortened; the rest counted (`candor tests show` has them all).
      [
        ...t.evidence
          .slice(0, 3)
          .map((e) => `${e.kind} ${e.at.slice(0, 10)} run ${e.runId.slice(0, 8)}`),
        ...(t.evidence.length > 3 ? [`+${String(t.evidence.length - 3)} more`] : []),
      ].join('; ') || t.signals.join(', '),
      t.hints.join(' '),
    ]);
  return [
    el(
      'div',
      { class: `budget ${p.budget.overBudget ? 'over' : 'within'}` },
      el(
        'span',
        { class: 'budget-label' },
        `Flake rate ${percent(p.budget.rate)} of budget ${percent(p.budget.max)}`,
      ),
      gauge,
      el('span', {}, p.budget.overBudget ? ' ✗ over budget' : ' ✓ within budget'),
    ),
    table(
      ['week from', 'flake rate', 'executions'],
      p.weekly.map((w) => [w.from.slice(0, 10), percent(w.rate), String(w.executions)]),
      'flake-weekly',
    ),
    el('h3', {}, 'Top flaky tests'),
    p.topFlaky.length === 0
      ? el('p', { class: 'small' }, 'No flaky tests in this window.')
      : table(
          ['test', 'flaky rate', 'failed/runs', 'evidence', 'hints'],
          testRows(p.topFlaky),
          'flaky',
        ),
    el('h3', {}, 'Quarantined'),
    p.quarantined.length === 0
      ? el(
          'p',
          { class: 'small' },
          'Nothing quarantined (the server reads .candor/quarantine.yml).',
        )
      : table(
          ['test', 'owner', 'reason', 'expires', 'mode'],
          p.quarantined.map((q) => [q.key, q.owner, q.reason, q.expires, q.mode]),
          'quarantined',
        ),
    el('h3', {}, 'Broken'),
    p.broken.length === 0
      ? el('p', { class: 'small' }, 'No broken tests.')
      : table(
          ['test', 'failure rate', 'failed/runs', 'evidence', 'hints'],
          testRows(p.broken),
          'broken',
        ),
  ];
}

function releasesView(deployments: DashboardDeployment[], settings: Settings): Node[] {
  const rows = deployments.map((d) => {
    const open = el(
      'button',
      { type: 'button', class: 'link', 'data-deployment': d.deployment },
      d.deployment,
    );
    open.addEventListener('click', () => void openTimeline(d, settings));
    return el(
      'tr',
      { class: d.failed ? 'failed' : '' },
      el('td', {}, open),
      el('td', {}, d.service),
      el('td', {}, d.startedAt?.replace('T', ' ').slice(0, 16) ?? '—'),
      el('td', {}, d.failed ? '✗ failed' : d.result === null ? '… running' : `✓ ${d.result}`),
      el('td', {}, d.canary ?? '—'),
      el('td', {}, `${d.gates.passed} passed, ${d.gates.failed} failed`),
      el('td', {}, d.incidents.join(', ') || '—'),
      el('td', {}, duration(d.leadTimeSeconds)),
    );
  });
  return [
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { id: 'table-releases' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...[
              'deployment',
              'service',
              'started',
              'result',
              'canary',
              'gates',
              'incidents',
              'lead time',
            ].map((h) => el('th', { scope: 'col' }, h)),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
  ];
}

async function openTimeline(d: DashboardDeployment, settings: Settings): Promise<void> {
  const target = document.getElementById('timeline');
  if (!target) return;
  target.hidden = false;
  target.replaceChildren(
    el('h2', { id: 'title-timeline' }, `Timeline of ${d.deployment}`),
    el('p', { role: 'status' }, 'Loading…'),
  );
  try {
    const timeline = settings.inlined
      ? inlinedTimeline(settings.inlined, d)
      : await api<DeploymentTimeline>(
          `/api/v1/dashboard/deployments/${encodeURIComponent(d.deployment)}/timeline?${new URLSearchParams({ service: d.service, env: d.environment }).toString()}`,
          settings,
        );
    target.replaceChildren(
      el('h2', { id: 'title-timeline' }, `Timeline of ${d.deployment}`),
      el(
        'ol',
        { class: 'timeline' },
        ...timeline.steps.map((s) =>
          el(
            'li',
            { 'data-type': s.type },
            el('time', {}, s.occurredAt.replace('T', ' ').slice(0, 19)),
            ` ${s.type.replaceAll('_', ' ')}${s.result ? ` (${s.result})` : ''}`,
          ),
        ),
      ),
    );
  } catch (error) {
    target.replaceChildren(
      el('h2', {}, `Timeline of ${d.deployment}`),
      el(
        'p',
        { class: 'error', role: 'alert' },
        `The timeline could not load: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  target.scrollIntoView({ block: 'nearest' });
  target.querySelector('h2')?.setAttribute('tabindex', '-1');
  (target.querySelector('h2') as HTMLElement | null)?.focus();
}

/** A deployment's timeline from a report's inlined data; throws when the report has none. */
function inlinedTimeline(report: DashboardReport, d: DashboardDeployment): DeploymentTimeline {
  const found = report.timelines.find(
    (t) =>
      t.deployment === d.deployment && t.service === d.service && t.environment === d.environment,
  );
  if (!found)
    throw new Error(
      'this deployment is not in the report (candor serve shows every timeline from the ledger)',
    );
  return found;
}

type Series = { label: string; stroke: string; bars?: boolean };

function chart(data: (number | null)[][], series: Series[]): HTMLElement {
  const holder = el('div', {
    class: 'chart',
    role: 'img',
    'aria-label': series.map((s) => s.label).join(', '),
  });
  const dark = currentTheme() === 'dark';
  const axis = { stroke: dark ? '#ddd' : '#333', grid: { stroke: dark ? '#333' : '#e5e5e5' } };
  const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
  const options: uPlot.Options = {
    width: 280,
    height: 180,
    axes: [axis, axis],
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: 2,
        ...(s.bars && bars ? { fill: `${s.stroke}88`, paths: bars } : {}),
      })),
    ],
  };
  // Drawn once the holder is in the page, as wide as its panel (a half-width panel on a laptop,
  // the whole screen on a phone).
  queueMicrotask(() => {
    const width = Math.floor(holder.getBoundingClientRect().width) || 280;
    new uPlot({ ...options, width: Math.max(240, width) }, data as uPlot.AlignedData, holder);
  });
  return holder;
}

function table(
  headers: string[],
  rows: string[][],
  id: string,
  rowClass?: (row: string[]) => string,
): HTMLElement {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { id: `table-${id}` },
      el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        ...rows.map((row) =>
          el('tr', { class: rowClass?.(row) ?? '' }, ...row.map((cell) => el('td', {}, cell))),
        ),
      ),
    ),
  );
}

function fact(term: string, value: string): HTMLElement[] {
  return [el('dt', {}, term), el('dd', {}, value)];
}

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
function perDay(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}/day`;
}
function hours(seconds: number | null): number | null {
  return seconds === null ? null : Math.round((seconds / 3600) * 100) / 100;
}
function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
