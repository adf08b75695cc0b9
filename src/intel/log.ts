// intel.log in Zeek's field order (base/frameworks/intel/main.zeek Intel::Info, with the
// seen.* and file fields of its policy scripts) from intel.seen events. `seen.node` is the
// sensor's name: "wardline". `sources` are the feeds' meta.source values.
import { connHeader } from '../analyzers/connid.js';
import type { LogMapper } from '../analyzers/logs.js';
import { formatTime } from '../report/logwriter.js';
import type { IntelSeen } from './match.js';

export const INTEL_LOGS: Record<string, LogMapper> = {
  'intel.seen': (e, c) => {
    const ev = e as IntelSeen;
    const r: Record<string, unknown> = c !== null ? connHeader(c, ev.tsSec, ev.tsNsec) : { ts: Number(formatTime(ev.tsSec, ev.tsNsec)) };
    r['seen.indicator'] = ev.indicator;
    r['seen.indicator_type'] = `Intel::${ev.indicator_type}`;
    r['seen.where'] = ev.where;
    r['seen.node'] = 'wardline';
    r.matched = [`Intel::${ev.matched_type}`];
    r.sources = ev.sources;
    if (ev.fuid !== undefined) r.fuid = ev.fuid;
    if (ev.file_mime_type !== undefined) r.file_mime_type = ev.file_mime_type;
    if (ev.file_desc !== undefined) r.file_desc = ev.file_desc;
    return { log: 'intel', record: r };
  },
};
