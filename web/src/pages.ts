import { renderDashboard } from './pages/dashboard/render-dashboard.ts';

/** The dashboard's pages by the `data-page` of `<body>`: a new page is a folder and one line. */
export const pages = { dashboard: renderDashboard } satisfies Record<
  string,
  (root: HTMLElement) => void
>;

const root = document.getElementById('app');
const page = document.body.dataset['page'] ?? 'dashboard';
if (root !== null && page in pages) pages[page as keyof typeof pages](root);
