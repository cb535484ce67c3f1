// --database: where the store lives when it is not the SQLite file in the data folder. Only
// PostgreSQL's URLs are taken (postgres:// or postgresql://, as libpq and the `pg` client
// read them). A URL may hold a password, so nothing here ever puts one in a message: the
// URL is shown with it replaced by `***` (redactedDatabaseUrl), and a refusal names only
// the scheme.

import { OptionError } from '../cli/option-table.ts';

export const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'] as const;

const URL_FORM = 'postgres://USER:PASSWORD@HOST:PORT/DATABASE';

export interface DatabaseUrl {
  /** As given, password included: for the client only, never for a log. */
  url: string;
  /** The same with any password as `***`: for messages and the start-up line. */
  shown: string;
}

export function parseDatabaseUrl(text: string, what: string): DatabaseUrl {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    // The text itself is not repeated: it may be a password pasted in the wrong place.
    throw new OptionError(`${what}: not a URL; give ${URL_FORM}, or leave it out to keep the store in SQLite in the data folder`);
  }
  if (!(POSTGRES_SCHEMES as readonly string[]).includes(parsed.protocol)) {
    throw new OptionError(
      `${what}: '${parsed.protocol}' databases are not supported; give a PostgreSQL URL (${URL_FORM}), or leave it out to keep the store in SQLite in the data folder`,
    );
  }
  if (parsed.pathname.replace(/^\//, '') === '') {
    throw new OptionError(`${what}: the URL names no database (${URL_FORM})`);
  }
  return { url: text.trim(), shown: redactedDatabaseUrl(parsed) };
}

/** The URL with its password (in the user part, or a `password` parameter) as `***`. */
export function redactedDatabaseUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  if (copy.searchParams.has('password')) copy.searchParams.set('password', '***');
  return copy.href;
}
