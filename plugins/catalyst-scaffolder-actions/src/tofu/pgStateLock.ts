import knexFactory from 'knex';

/**
 * The pg state backend's lock, as PostgreSQL sees it. OpenTofu / Terraform lock a Sovereign's state with a
 * session-level advisory lock on the `states` row id of its schema (`pg_try_advisory_lock(id)`), or on -1 while
 * the row does not exist yet (the first run creates it). Nothing else records the holder: the lock lives exactly
 * as long as the holder's session, so a lock can only outlive a dead backend through a tofu process that is still
 * connected; `force-unlock` cannot release another session's advisory lock.
 */
export interface PgLockHolder {
  /** The holder's PostgreSQL backend pid. */
  pid: number;
  applicationName: string;
}

function connect(connectionString: string) {
  return knexFactory({
    client: 'pg',
    connection: connectionString,
    pool: { min: 0, max: 1 },
  });
}

/** Sessions holding the advisory lock of a Sovereign's state schema (empty: nobody holds it). */
export async function findPgLockHolders(
  connectionString: string,
  schema: string,
): Promise<PgLockHolder[]> {
  const db = connect(connectionString);
  try {
    let key = -1;
    const exists = await db.raw(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [schema, 'states'],
    );
    if (exists.rows.length) {
      const row = await db
        .withSchema(schema)
        .table('states')
        .where({ name: 'default' })
        .first('id');
      if (row) key = Number(row.id);
    }
    // A bigint advisory key is split into classid (high 32 bits) and objid (low 32 bits), objsubid 1.
    const { rows } = await db.raw(
      `SELECT l.pid, coalesce(a.application_name, '') AS application_name
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint) = ?::bigint`,
      [key],
    );
    return rows.map((r: { pid: number; application_name: string }) => ({
      pid: Number(r.pid),
      applicationName: r.application_name,
    }));
  } finally {
    await db.destroy();
  }
}

/** Ends a session (and with it every advisory lock it holds). */
export async function terminatePgSession(
  connectionString: string,
  pid: number,
): Promise<void> {
  const db = connect(connectionString);
  try {
    await db.raw('SELECT pg_terminate_backend(?)', [pid]);
  } finally {
    await db.destroy();
  }
}
