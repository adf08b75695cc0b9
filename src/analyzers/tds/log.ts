// mssql.log: one line per login attempt, with the field names PRODUCT.md gives (`username`,
// `client_name` for LOGIN7 HostName, `app_name`, `library` for CltIntName) and the negotiated
// encryption, server version and the server's verdict. Zeek has no TDS analyzer to follow.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'username',
  'client_name',
  'app_name',
  'library',
  'server_name',
  'database',
  'language',
  'tds_version',
  'integrated_auth',
  'password',
  'client_encryption',
  'encryption',
  'login_encrypted',
  'session_encrypted',
  'instance',
  'server_version',
  'success',
  'error_number',
  'error',
] as const;

export const TDS_LOGS: Record<string, LogMapper> = {
  'mssql.login': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'mssql', record: rec };
  },
};
