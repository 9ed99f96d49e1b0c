import { describe, expect, it } from 'vitest';
import { runEventReaderConformance } from '../event-reader-conformance.ts';
import { candorEventReader } from './candor-event-reader.ts';

const deployed = {
  type: 'deploy_finished',
  id: 'd-1',
  source: 'ci',
  occurredAt: '2026-11-20T10:00:00Z',
  service: 'api',
  environment: 'production',
  commit: 'abc',
  result: 'success',
} as const;

describe('candorEventReader', () => {
  it('hands any value on as it is, for parseDeliveryEvent to judge', () => {
    const value = { type: 'not_a_type', extra: [1] };
    const mapped = candorEventReader.map(value);
    expect(mapped).toEqual({ ok: true, value: [value] });
    expect(mapped.ok && mapped.value[0]).toBe(value);
  });
});

runEventReaderConformance({
  reader: candorEventReader,
  samples: {
    events: [
      { name: 'a deploy_finished event', value: deployed, event: deployed },
      {
        name: 'an incident with attributes',
        value: {
          type: 'incident_opened',
          occurredAt: '2026-11-20T11:00:00+01:00',
          service: 'api',
          incident: 'INC-7',
          attributes: { severity: 'sev1', pager: { id: 7 } },
        },
        event: {
          type: 'incident_opened',
          occurredAt: '2026-11-20T11:00:00+01:00',
          service: 'api',
          incident: 'INC-7',
          attributes: { severity: 'sev1', pager: { id: 7 } },
        },
      },
    ],
  },
  skip: [
    {
      reason:
        'it is the catch-all: it claims every value, and parseDeliveryEvent, not the mapping, says what is wrong',
      tests: ['refuses what it cannot map, as a value', 'claims no value of another format'],
    },
    {
      reason:
        'every candor event type is recorded: an unknown type is an error that names the field, not an ignored kind',
      tests: ['ignores the kinds it does not record'],
    },
  ],
});
