// smb_mapping.log and smb_files.log with Zeek's field names (base/protocols/smb).
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';

function put(rec: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== undefined && v !== null) rec[k] = v;
}

export const SMB_LOGS: Record<string, LogMapper> = {
  'smb.tree_connect': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    put(rec, 'path', ev.path);
    put(rec, 'service', ev.service);
    put(rec, 'native_file_system', ev.native_file_system);
    put(rec, 'share_type', ev.share_type);
    return { log: 'smb_mapping', record: rec };
  },
  'smb.file': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    put(rec, 'fuid', ev.fuid);
    put(rec, 'action', ev.action);
    put(rec, 'path', ev.path);
    put(rec, 'name', ev.name);
    put(rec, 'size', ev.size);
    put(rec, 'prev_name', ev.prev_name);
    put(rec, 'times.modified', ev.modified);
    put(rec, 'times.accessed', ev.accessed);
    put(rec, 'times.created', ev.created);
    put(rec, 'times.changed', ev.changed);
    return { log: 'smb_files', record: rec };
  },
};
