// smb_mapping.log and smb_files.log with Zeek's field names (base/protocols/smb).
import { formatAddr } from '../../decode/packet.js';
import type { Conn } from '../../flow/conn.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { AppEvent } from '../types.js';
import type { LogMapper } from '../logs.js';

function head(ev: AppEvent, c: Conn): Record<string, unknown> {
  return {
    ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
  };
}

function put(rec: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== undefined && v !== null) rec[k] = v;
}

export const SMB_LOGS: Record<string, LogMapper> = {
  'smb.tree_connect': (ev, c) => {
    if (c === null) return null;
    const rec = head(ev, c);
    put(rec, 'path', ev.path);
    put(rec, 'service', ev.service);
    put(rec, 'native_file_system', ev.native_file_system);
    put(rec, 'share_type', ev.share_type);
    return { log: 'smb_mapping', record: rec };
  },
  'smb.file': (ev, c) => {
    if (c === null) return null;
    const rec = head(ev, c);
    put(rec, 'action', ev.action);
    put(rec, 'path', ev.path);
    put(rec, 'name', ev.name);
    put(rec, 'size', ev.size);
    put(rec, 'times.modified', ev.modified);
    put(rec, 'times.accessed', ev.accessed);
    put(rec, 'times.created', ev.created);
    put(rec, 'times.changed', ev.changed);
    return { log: 'smb_files', record: rec };
  },
};
