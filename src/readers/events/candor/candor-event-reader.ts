import { ok } from '../../../core/lib/result.ts';
import type { EventReader } from '../event-reader.ts';

/**
 * Candor's own event JSON (README "Delivery events"), handed on as it is: `parseDeliveryEvent`
 * says what is wrong with it. Claims every value, so it is the fallback, last in detection order.
 */
export const candorEventReader = {
  id: 'candor',
  description: "candor's own event JSON, validated as it is (the fallback)",
  detect: (_value: unknown) => true,
  map: (value) => ok(value),
} satisfies EventReader;
