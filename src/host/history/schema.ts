// The history database's schema: one SQLite file, its version in `PRAGMA user_version` and in
// meta('schema'), and the migrations that bring an older file up to date. docs/history.md describes
// every table and column for readers outside Sockscope (the `sqlite3` tool, scripts).
//
// Small on purpose (the target is < 200 bytes per closed connection): times are integer milliseconds
// since the Unix epoch, repeated texts (addresses, commands, namespaces) are stored once in `names`, a
// socket's per-refresh state is not stored, only its changes, and per-process counts only when they
// change.
import type { ClosedBy } from '../../protocol/history-requests';
import type { SqlStore } from './sqlite';

export type { ClosedBy } from '../../protocol/history-requests';

export const SCHEMA_VERSION = 2;
/** Written to meta('format'): tells a Sockscope recording from another SQLite file. */
export const FORMAT = 'sockscope-history';

/** netid codes in sockets.netid. Append only: the numbers are in recorded files. */
export const NETIDS = ['tcp', 'udp', 'raw', 'mptcp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl'] as const;
export type HistoryNetid = (typeof NETIDS)[number];

/** closed_by codes. */
export const CLOSED_BY = { 1: 'kernel-event', 2: 'watch' } as const satisfies Record<number, ClosedBy>;
export const CLOSED_BY_CODE: Readonly<Record<ClosedBy, number>> = { 'kernel-event': 1, watch: 2 };

/** MIGRATIONS[n] takes a file from version n to n + 1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE names (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
  CREATE TABLE sockets (
    id INTEGER PRIMARY KEY,
    netid INTEGER NOT NULL,
    netns INTEGER,
    local_addr INTEGER,
    local_port INTEGER,
    peer_addr INTEGER,
    peer_port INTEGER,
    pid INTEGER,
    command INTEGER,
    first_state INTEGER NOT NULL,
    state INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    seen_from INTEGER,
    seen_to INTEGER,
    closed_at INTEGER,
    closed_by INTEGER,
    bytes_sent INTEGER,
    bytes_received INTEGER,
    retrans INTEGER
  );
  CREATE INDEX sockets_closed_at ON sockets (closed_at) WHERE closed_at IS NOT NULL;
  CREATE INDEX sockets_seen_from ON sockets (seen_from) WHERE seen_from IS NOT NULL;
  CREATE TABLE state_changes (socket INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER NOT NULL, PRIMARY KEY (socket, at)) WITHOUT ROWID;
  CREATE TABLE ticks (at INTEGER PRIMARY KEY, sockets INTEGER NOT NULL, full INTEGER NOT NULL);
  CREATE TABLE counts (at INTEGER NOT NULL, pid INTEGER NOT NULL, state INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (at, pid, state)) WITHOUT ROWID;
  CREATE TABLE tcp_samples (socket INTEGER NOT NULL, at INTEGER NOT NULL, info TEXT NOT NULL, PRIMARY KEY (socket, at)) WITHOUT ROWID;
  CREATE VIEW connections AS
    SELECT s.id, CASE s.netid ${NETIDS.map((n, i) => `WHEN ${i} THEN '${n}'`).join(' ')} END AS netid,
      la.text AS local_address, s.local_port, pa.text AS peer_address, s.peer_port, s.pid, c.text AS command,
      strftime('%Y-%m-%dT%H:%M:%fZ', s.opened_at / 1000.0, 'unixepoch') AS opened,
      strftime('%Y-%m-%dT%H:%M:%fZ', s.closed_at / 1000.0, 'unixepoch') AS closed,
      s.closed_at - s.opened_at AS duration_ms, s.bytes_sent, s.bytes_received, s.retrans,
      CASE s.closed_by WHEN 1 THEN 'kernel-event' WHEN 2 THEN 'watch' END AS closed_by
    FROM sockets s LEFT JOIN names la ON la.id = s.local_addr LEFT JOIN names pa ON pa.id = s.peer_addr
      LEFT JOIN names c ON c.id = s.command;
  `,
  // 2: the connection log also in pages (log-pack.ts), so an hour of closes is read in a few thousand
  // rows instead of hundreds of thousands. meta('log_pages_from') and meta('log_sealed_to') say which
  // closes they hold; the writer fills them (an older file's closes on its first open).
  `
  CREATE TABLE log_pages (id INTEGER PRIMARY KEY, closed_from INTEGER NOT NULL, closed_to INTEGER NOT NULL, rows INTEGER NOT NULL, data BLOB NOT NULL);
  CREATE INDEX log_pages_closed_to ON log_pages (closed_to);
  `,
];

/** Pragmas for every connection that writes. */
export function configureWriter(db: SqlStore): void {
  db.exec('PRAGMA journal_mode = WAL');
  // WAL + NORMAL: a crash loses at most the last transaction (the batch in flight), never the file.
  db.exec('PRAGMA synchronous = NORMAL');
}

/**
 * Brings the file to SCHEMA_VERSION (creating it when empty). Throws for a file written by a newer
 * Sockscope or one that is not a recording.
 */
export function migrate(db: SqlStore): void {
  const version = Number(db.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
  if (version > SCHEMA_VERSION) throw new Error(`recorded by a newer Sockscope (schema ${version}; this one reads up to ${SCHEMA_VERSION})`);
  if (version === 0) {
    const tables = db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    if (tables.length > 0) throw new Error('not a Sockscope recording (an SQLite file with other tables)');
  } else {
    const format = db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'format'");
    if (format?.value !== FORMAT) throw new Error('not a Sockscope recording');
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?), ('schema', ?)", [FORMAT, String(v + 1)]);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
}

/** For readers: the file must be a recording this Sockscope can read. */
export function checkReadable(db: SqlStore): void {
  const version = Number(db.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
  if (version === 0) throw new Error('not a Sockscope recording (empty, or another SQLite file)');
  if (version > SCHEMA_VERSION) throw new Error(`recorded by a newer Sockscope (schema ${version}; this one reads up to ${SCHEMA_VERSION})`);
  const format = db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'format'");
  if (format?.value !== FORMAT) throw new Error('not a Sockscope recording');
}
