// The shared `software` event and Zeek's software.log (policy/frameworks/software): any analyzer
// that sees a product banner (HTTP User-Agent/Server, SSH, FTP/SMTP greetings …) emits
// { type: 'software', host, host_p, software_type, unparsed_version }. Each (host, name) is
// logged once per run, as Zeek does.
import { formatTime } from '../report/logwriter.js';
import type { LogMapper } from './logs.js';

export interface SoftwareVersion {
  name: string;
  major?: number;
  minor?: number;
  minor2?: number;
  minor3?: number;
  addl?: string;
}

/** Splits "Name/1.2.3 (extra)" or "Name 1.2" into name and numeric version parts. */
export function parseSoftware(unparsed: string): SoftwareVersion {
  const s = unparsed.trim().slice(0, 512);
  const m = /^([^\s/;()]+?(?:[ _-][A-Za-z][\w.]*)*?)[\s/_-]+[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[\s.;_-]*(.*))?$/.exec(s);
  if (m === null) return { name: s.split(/[\s/;(]/)[0] || s };
  const out: SoftwareVersion = { name: m[1] };
  if (m[2] !== undefined) out.major = Number(m[2]);
  if (m[3] !== undefined) out.minor = Number(m[3]);
  if (m[4] !== undefined) out.minor2 = Number(m[4]);
  if (m[5] !== undefined) out.minor3 = Number(m[5]);
  const addl = m[6]?.trim();
  if (addl) out.addl = addl.replace(/^[(\s]+|[)\s]+$/g, '').slice(0, 128);
  return out;
}

const softwareLog: LogMapper = (ev, _c, m, run) => {
  const host = String(ev.host);
  const unparsed = String(ev.unparsed_version ?? '');
  if (unparsed === '') return null;
  const v = parseSoftware(unparsed);
  const key = `${host}|${ev.software_type}|${v.name}|${unparsed}`;
  if (!run.once(key)) return null;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), host };
  if (ev.host_p !== undefined) rec.host_p = ev.host_p;
  rec.software_type = ev.software_type;
  rec.name = v.name;
  if (v.major !== undefined) rec['version.major'] = v.major;
  if (v.minor !== undefined) rec['version.minor'] = v.minor;
  if (v.minor2 !== undefined) rec['version.minor2'] = v.minor2;
  if (v.minor3 !== undefined) rec['version.minor3'] = v.minor3;
  if (v.addl !== undefined) rec['version.addl'] = v.addl;
  rec.unparsed_version = unparsed;
  return { log: 'software', record: rec };
};

export const SOFTWARE_LOGS: Record<string, LogMapper> = { software: softwareLog };
