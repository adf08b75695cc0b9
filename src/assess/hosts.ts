// Minimal devices straight from observations, for addresses the inventory did not describe (and
// for tests that run without it): one device per address, its MAC vendor, and a Windows release
// from the NT version NTLM announced or the NativeOS string SMB1 carried.
import type { KnowledgeBase } from '../knowledge/kb.js';
import type { Device, DeviceOs, Evidence } from '../report/model.js';
import { windowsReleaseOf } from './identity.js';
import type { HostObs, Observations } from './observe.js';

function parseMacNumber(mac: string): number {
  return parseInt(mac.replace(/:/g, ''), 16);
}

/** A Windows OS from NTLM's VERSION (major.minor.build) or SMB's NativeOS text. */
export function osFromHints(h: HostObs, kb: KnowledgeBase): { os: DeviceOs; evidence: Evidence } | null {
  const nativeAny = h.osHints.find((o) => o.source === 'smb.native_os');
  // Apple's and Samba's SMB stacks announce a Windows version in NTLM; their NativeOS tells.
  if (nativeAny !== undefined && !/windows/i.test(nativeAny.value) && /mac os|os x|darwin|linux|unix|samba/i.test(nativeAny.value)) {
    const m = /(\d+(?:\.\d+)+)/.exec(nativeAny.value);
    const family = /mac os|os x|darwin/i.test(nativeAny.value) ? 'macOS' : 'Linux';
    return { os: { name: nativeAny.value, version: m?.[1] ?? null, family, eol: null, eol_date: null }, evidence: nativeAny.evidence };
  }
  // Build 0 is what non-Windows NTLM implementations send; it names no release.
  const ntlm = h.osHints.find((o) => o.source === 'ntlm.version' && o.major !== undefined && o.major > 0 && (o.build ?? 0) > 0);
  if (ntlm !== undefined) {
    const native = nativeAny?.value ?? '';
    const server = /server/i.test(native);
    const rel = windowsReleaseOf(kb, { major: ntlm.major!, minor: ntlm.minor!, build: ntlm.build!, server });
    if (rel !== null) return { os: { name: rel.name, version: `${ntlm.major}.${ntlm.minor}.${ntlm.build}`, family: 'Windows', eol: null, eol_date: null }, evidence: ntlm.evidence };
  }
  const native = h.osHints.find((o) => o.source === 'smb.native_os' && /windows/i.test(o.value));
  if (native !== undefined) {
    // "Windows 5.1", "Windows 7 Professional 7601 Service Pack 1", "Windows Server 2003 3790 Service Pack 2".
    const v = /Windows (\d+)\.(\d+)/i.exec(native.value);
    const b = /\b(\d{4,5})\b/.exec(native.value.replace(/Windows (Server )?\d{4}/i, ''));
    const server = /server/i.test(native.value);
    let version: string | null = null;
    if (v !== null) version = `${v[1]}.${v[2]}`;
    else {
      const names: [RegExp, string][] = [[/windows 7/i, '6.1'], [/server 2008 r2/i, '6.1'], [/server 2008/i, '6.0'], [/vista/i, '6.0'], [/server 2003/i, '5.2'], [/windows xp/i, '5.1'], [/windows 2000/i, '5.0'], [/windows 8\.1|server 2012 r2/i, '6.3'], [/windows 8|server 2012/i, '6.2']];
      for (const [re, ver] of names) if (re.test(native.value)) {
        version = ver;
        break;
      }
    }
    if (version !== null && b !== null) version += `.${b[1]}`;
    // "Windows Server 2008 R2 Standard 7601 Service Pack 1" → name without the build.
    const nm = /^(.*?)\s+\d{4,5}(\s+Service Pack \d+)?$/.exec(native.value.trim());
    const name = nm !== null && !/^windows( server)?$/i.test(nm[1]) ? `${nm[1]}${nm[2] ?? ''}` : native.value;
    return { os: { name: server && !/server/i.test(name) ? `${name} Server` : name, version, family: 'Windows', eol: null, eol_date: null }, evidence: native.evidence };
  }
  return null;
}

export function deviceFromHost(h: HostObs, kb: KnowledgeBase | null): Device {
  const mac = h.macs.length > 0 ? h.macs[0] : null;
  const vendor = mac !== null && kb !== null ? kb.vendorOf(parseMacNumber(mac))?.name ?? null : null;
  const os = kb !== null ? osFromHints(h, kb) : null;
  const d: Device = {
    id: `ip:${h.addr}`,
    mac,
    ips: [h.addr],
    hostnames: [],
    vendor,
    model: null,
    category: 'unknown',
    category_reason: 'no identifying protocol or classification rule for this address',
    medical: false,
    os: os?.os ?? null,
    software: [...h.software].sort(),
    services: [],
    protocols: [],
    risk: { score: 0, level: 'low', factors: [] },
    evidence: os !== null ? [os.evidence] : [],
  };
  // Where it was first seen sending: its own packets are what make an address a device.
  if (h.sentPacket > 0) d.evidence.unshift({ fact: 'ip', value: h.addr, source: 'conn', file: h.sentFile, packet: h.sentPacket, ts: h.sentTs });
  if (h.vlans.length > 0) d.vlans = [...h.vlans].sort((a, b) => a - b);
  return d;
}

/** One minimal device per observed address, sorted by id. */
export function devicesFromObservations(obs: Observations, kb: KnowledgeBase | null): Device[] {
  return [...obs.hosts.values()].map((h) => deviceFromHost(h, kb)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
