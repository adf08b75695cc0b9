// files.log in the field order of Zeek 6's Files::Info (base/frameworks/files/main.zeek) with
// the hash-all-files policy's md5/sha1/sha256, from files.file events; Zeek's connection
// fields (uid, id.*) as Zeek 6 logs them. Zeek's local_orig needs the site's networks (absent),
// parent_fuid and extraction do not apply: file contents are never written.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { FileEvent } from './events.js';

export const FILES_LOGS: Record<string, LogMapper> = {
  'files.file': (e, c) => {
    const f = e as FileEvent;
    const r: Record<string, unknown> = { ts: Number(formatTime(f.tsSec, f.tsNsec)), fuid: f.fuid };
    if (c !== null) {
      r.uid = connUid(c);
      r['id.orig_h'] = formatAddr(c.o0, c.o1, c.o2, c.o3);
      r['id.orig_p'] = c.oPort;
      r['id.resp_h'] = formatAddr(c.r0, c.r1, c.r2, c.r3);
      r['id.resp_p'] = c.rPort;
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
