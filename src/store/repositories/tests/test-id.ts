import { hash } from 'node:crypto';

/** Hex digits of an id that come from the test's place, and from its whole key. */
export const placeDigits = 12;
const keyDigits = 20;

/** The place of the last id computed, and its digits: a report lists a place's tests together. */
let lastPlace = { repo: '', place: '', digits: '' };

/**
 * The stored id of a test identity, derived from (repo, key) so ingest never looks it up: 12
 * hex digits of sha256(repo NUL place), where the place is the key up to its first `::` (empty
 * without one), then 20 of sha256(repo NUL key). Tests of one place (a class, a file) get
 * neighbouring ids, so every index on test ids is written a place at a time instead of at a
 * random spot per test (docs/adr/0046). 32 characters, as before migration 0011. Never throws.
 */
export function testId(repo: string, key: string): string {
  const cut = key.indexOf('::');
  const place = cut === -1 ? '' : key.slice(0, cut);
  if (lastPlace.place !== place || lastPlace.repo !== repo) {
    lastPlace = {
      repo,
      place,
      digits: hash('sha256', `${repo}\0${place}`, 'hex').slice(0, placeDigits),
    };
  }
  return lastPlace.digits + hash('sha256', `${repo}\0${key}`, 'hex').slice(0, keyDigits);
}
