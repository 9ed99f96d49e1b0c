import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** What a NUL character (U+0000) in stored text becomes: the visible SYMBOL FOR NULL, U+2400. */
export const nulReplacement = '\u2400';

/**
 * Wraps a dialect so that every text parameter has its NUL characters replaced by U+2400 before
 * it reaches the database. PostgreSQL text cannot hold U+0000 ("invalid byte sequence for
 * encoding UTF8: 0x00") while SQLite can; replacing it on both keeps one input stored the same
 * way everywhere, in every table and in every lookup (docs/adr/0003).
 */
export function nulSafeDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new NulSafeDriver(dialect.createDriver()),
  };
}

class NulSafeDriver implements Driver {
  readonly #driver: Driver;
  /** Wrapped connection → the driver's own, which its methods expect back. */
  readonly #originals = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(driver: Driver) {
    this.#driver = driver;
  }

  init(): Promise<void> {
    return this.#driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#driver.acquireConnection();
    const wrapped: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
        connection.executeQuery<R>(withoutNul(query)),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
        connection.streamQuery<R>(withoutNul(query), chunkSize),
    };
    this.#originals.set(wrapped, connection);
    return wrapped;
  }

  #original(connection: DatabaseConnection): DatabaseConnection {
    return this.#originals.get(connection) ?? connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#driver.beginTransaction(this.#original(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#driver.commitTransaction(this.#original(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#driver.rollbackTransaction(this.#original(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#driver.releaseConnection(this.#original(connection));
  }

  destroy(): Promise<void> {
    return this.#driver.destroy();
  }
}

function withoutNul(query: CompiledQuery): CompiledQuery {
  const { parameters } = query;
  let replaced: unknown[] | undefined;
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    if (typeof value === 'string' && value.includes('\0')) {
      replaced ??= parameters.slice();
      replaced[i] = value.replaceAll('\0', nulReplacement);
    }
  }
  return replaced === undefined ? query : { ...query, parameters: replaced };
}
