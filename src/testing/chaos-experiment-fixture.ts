/** Test support: a valid chaos catalog entry (input form), the base tests change one field of. */
export const validExperiment = {
  id: 'payments-pod-loss',
  title: 'Checkout survives loss of one payments pod',
  owner: '@acme/team-payments',
  service: 'payments',
  severity: 'sev2',
  blastRadius: {
    environment: 'staging',
    selector: { namespace: 'payments', labels: { app: 'payments' } },
    mode: 'fixed',
    value: 1,
    maxDuration: '5m',
  },
  slo: { name: 'checkout-availability', objective: '99.9%', requireErrorBudgetRemaining: '25%' },
  hypothesis: {
    probes: [{ name: 'checkout-200', http: { url: 'https://checkout/health' }, tolerance: 200 }],
  },
  stopConditions: [{ alert: 'CheckoutErrorRateHigh' }],
  inject: { type: 'chaos-mesh', manifest: 'manifests/pod-kill.yaml' },
  rollback: ['payments'],
  cadence: '30d',
  runbook: 'docs/runbooks/payments.md',
};
