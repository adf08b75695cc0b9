// files.log in the field order of Zeek 6's Files::Info (base/frameworks/files/main.zeek) with
// the hash-all-files policy's md5/sha1/sha256, from files.file events; Zeek's connection
// fields (uid, id.*) as Zeek 6 logs them. Zeek's local_orig needs the site's networks (absent),
// parent_fuid and extraction do not apply: file contents are never written.
import { connHeader } from '../connid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { FileEvent } from './events.js';

export const FILES_LOGS: Record<string, LogMapper> = {
  'files.file': (e, c) => {
    const f = e as FileEvent;
    // Zeek's files.log puts the fuid between ts and the connection's uid and id fields.
    let r: Record<string, unknown> = { ts: Number(formatTime(f.tsSec, f.tsNsec)), fuid: f.fuid };
    if (c !== null) {
      const { ts, ...id } = connHeader(c, f.tsSec, f.tsNsec);
      r = { ts, fuid: f.fuid, ...id };
    }
    r.source = f.source;
    r.depth = f.depth;
    r.analyzers = f.analyzers;
    if (f.mime_type !== undefined) r.mime_type = f.mime_type;
    if (f.filename !== undefined) r.filename = f.filename;
    r.duration = Number(f.duration.toFixed(6));
    r.is_orig = f.is_orig;
    r.seen_bytes = f.seen_bytes;
    if (f.total_bytes !== undefined) r.total_bytes = f.total_bytes;
    r.missing_bytes = f.missing_bytes;
    r.overflow_bytes = f.overflow_bytes;
    r.timedout = f.timedout;
    if (f.md5 !== undefined) r.md5 = f.md5;
    if (f.sha1 !== undefined) r.sha1 = f.sha1;
    if (f.sha256 !== undefined) r.sha256 = f.sha256;
    return { log: 'files', record: r };
  },
};
