import { z } from 'zod';

/**
 * The names a query schema of src/contracts reads: the keys of its object, through transforms,
 * pipes, defaults and optionals. Throws a bug (Error) for a schema that is not an object at
 * heart: a route's query is always one.
 */
export function queryParameters(schema: z.ZodType): readonly string[] {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodObject) return Object.keys(current.shape);
    if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
      current = current.unwrap() as z.ZodType;
    else throw new Error('a query schema must be an object');
  }
}
