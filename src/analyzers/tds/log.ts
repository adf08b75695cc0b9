// mssql.log: one line per login attempt, with the field names PRODUCT.md gives (`username`,
// `client_name` for LOGIN7 HostName, `app_name`, `library` for CltIntName) and the negotiated
// encryption, server version and the server's verdict. Zeek has no TDS analyzer to follow.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
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
  'instance',
  'server_version',
  'success',
  'error_number',
  'error',
] as const;

export const TDS_LOGS: Record<string, LogMapper> = {
  'mssql.login': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'mssql', record: rec };
  },
};
