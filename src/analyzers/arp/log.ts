// arp.log: one line per ARP packet: ts, mac_src, mac_dst (Ethernet), operation, orig_h/orig_mac
// (sender), resp_h/resp_mac (target), and gratuitous/probe when set. Malformed headers are
// logged too, with `bad` naming the damage as Zeek's bad_arp does.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { ArpBad, ArpEvent } from './events.js';

const arpLog: LogMapper = (e, _c, m) => {
  const ev = e as ArpEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src, mac_dst: ev.mac_dst, operation: ev.operation };
  rec.orig_h = ev.spa;
  rec.orig_mac = ev.sha;
  rec.resp_h = ev.tpa;
  rec.resp_mac = ev.tha;
  if (ev.gratuitous) rec.gratuitous = true;
  if (ev.probe) rec.probe = true;
  rec.packet = ev.packet;
  return { log: 'arp', record: rec };
};

const badLog: LogMapper = (e, _c, m) => {
  const ev = e as ArpBad;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src, mac_dst: ev.mac_dst, operation: 'bad' };
  putSet(rec, { orig_h: ev.spa, orig_mac: ev.sha, resp_h: ev.tpa, resp_mac: ev.tha, bad: ev.bad, packet: ev.packet });
  return { log: 'arp', record: rec };
};

export const ARP_LOGS: Record<string, LogMapper> = { 'arp.message': arpLog, 'arp.bad': badLog };
