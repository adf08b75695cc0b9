// flowexport.log: one line per exporter → collector flow of sFlow, NetFlow or IPFIX (wardline's
// own log): protocol and version, the agent address and domain the exporter names, datagrams
// and records sent, datagrams lost (sequence gaps) and the exporter's uptime.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

export const FLOWEXPORT_LOGS: Record<string, LogMapper> = {
  'flowexport.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    r.protocol = ev.protocol;
    r.version = ev.version;
    if (ev.agent !== '') r.agent = ev.agent;
    r.domain = ev.domain;
    r.datagrams = ev.datagrams;
    if (ev.protocol !== 'ipfix') r.records = ev.records;
    if ((ev.lost as number) > 0) r.lost = ev.lost;
    if ((ev.uptime_ms as number) > 0) r.uptime_ms = ev.uptime_ms;
    return { log: 'flowexport', record: r };
  },
};
