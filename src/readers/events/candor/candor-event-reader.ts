import { ok } from '../../../core/lib/result.ts';
import type { EventReader } from '../event-reader.ts';

/**
 * Candor's own event JSON (README "Delivery events"), handed on as it is: `parseDeliveryEvent`
 * says what is wrong with it. Claims every value: the catch-all, asked after every other reader.
 */
export const candorEventReader = {
  id: 'candor',
  description: "candor's own event JSON, validated as it is (the catch-all)",
  detect: (_value: unknown) => true,
  isCatchAll: true,
  map: (value) => ok([value]),
} satisfies EventReader;
