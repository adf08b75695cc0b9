// A device as CPE-like identities (vendor, product, version) for vulnerability matching, and its
// OS release mapped to an endoflife.date product and cycle. Windows versions come as NT version
// numbers (6.1.7601, 10.0.19045) from NTLM, SMB or the inventory; NVD names the same releases
// two ways (windows_7 with update "sp1"; windows_10_1903, and windows_10 with version "1903"),
// so both names are produced.
import { parseSoftware } from '../analyzers/software.js';
import type { Identity } from '../knowledge/cpe.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import { cpeKey, sameProduct, vendorKey } from '../knowledge/names.js';
import type { Device } from '../report/model.js';

export interface WindowsVersion {
  major: number;
  minor: number;
  build: number;
  server: boolean;
}

/** Release names without numbers ("Windows 7", "Windows Server 2008 R2"). */
const WINDOWS_BY_NAME: [RegExp, WindowsVersion][] = [
  [/server 2008 r2/i, { major: 6, minor: 1, build: 0, server: true }],
  [/server 2008/i, { major: 6, minor: 0, build: 0, server: true }],
  [/server 2003/i, { major: 5, minor: 2, build: 0, server: true }],
  [/server 2012 r2/i, { major: 6, minor: 3, build: 0, server: true }],
  [/server 2012/i, { major: 6, minor: 2, build: 0, server: true }],
  [/windows 2000/i, { major: 5, minor: 0, build: 0, server: false }],
  [/windows xp/i, { major: 5, minor: 1, build: 0, server: false }],
  [/windows vista/i, { major: 6, minor: 0, build: 0, server: false }],
  [/windows 7/i, { major: 6, minor: 1, build: 0, server: false }],
  [/windows 8\.1/i, { major: 6, minor: 3, build: 0, server: false }],
  [/windows 8/i, { major: 6, minor: 2, build: 0, server: false }],
];

/**
 * The NT versions a Windows device's OS may be: one from its os.version or a version in its
 * name; from a name alone, one per alternative ("Windows 7 or 8", p0f's label for one SYN
 * layout, is 6.1 or 6.2; a bare "8" takes the first alternative's words). Empty when unknown.
 */
export function windowsCandidatesOf(d: Device): WindowsVersion[] {
  const os = d.os;
  if (os === null) return [];
  const text = `${os.name} ${os.family}`;
  if (!/windows/i.test(text)) return [];
  const server = /server/i.test(text);
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(os.version ?? '') ?? /\b(\d+)\.(\d+)\.(\d+)\b/.exec(os.name);
  if (m !== null) return [{ major: Number(m[1]), minor: Number(m[2]), build: m[3] !== undefined ? Number(m[3]) : 0, server }];
  const out: WindowsVersion[] = [];
  let prefix = '';
  for (const part of os.name.split(/\s+or\s+/i)) {
    // "Windows 7 or 8": the second alternative is "Windows 8".
    const alt = /^\d/.test(part) ? `${prefix} ${part}` : part;
    const hit = WINDOWS_BY_NAME.find(([re]) => re.test(alt));
    if (hit === undefined) return [];
    prefix = /^(.*?)\s*\d/.exec(alt)?.[1] ?? prefix;
    if (!out.some((v) => v.major === hit[1].major && v.minor === hit[1].minor && v.server === hit[1].server)) out.push(hit[1]);
  }
  return out;
}

/**
 * The NT version of a Windows device, from its os.version or a version in its name; null when
 * unknown or when the name leaves several ("Windows 7 or 8": see windowsCandidatesOf).
 */
export function windowsVersionOf(d: Device): WindowsVersion | null {
  const c = windowsCandidatesOf(d);
  return c.length === 1 ? c[0] : null;
}

/**
 * The endoflife.date release of a Windows version. A build only servers have (20348 is Server
 * 2022) settles client vs server when nothing else told.
 */
export function windowsReleaseOf(kb: KnowledgeBase, v: WindowsVersion): ReturnType<KnowledgeBase['windowsRelease']> {
  const rel = kb.windowsRelease(v.major, v.minor, v.build, v.server);
  if (rel !== null && rel.approximate && v.major === 10 && v.build > 0) {
    const other = kb.windowsRelease(v.major, v.minor, v.build, !v.server);
    if (other !== null && !other.approximate) return other;
  }
  return rel;
}

/**
 * The exact Windows release a device runs and the day it shipped, when the build pins it: Vista,
 * 7 and Server 2008 / 2008 R2 at the service pack their build carries (6002, 7601), 8 and 8.1,
 * and Windows 10/11 and Server releases whose build is in the table. Null for XP, 2000 and Server
 * 2003 (one build for every service pack), for builds below the only service pack listed, and
 * when the build is not known.
 */
export function windowsReleaseDateOf(kb: KnowledgeBase, d: Device): { name: string; label: string; date: string } | null {
  const v = windowsVersionOf(d);
  if (v === null || v.build === 0 || v.major < 6) return null;
  const rel = windowsReleaseOf(kb, v);
  if (rel === null || rel.approximate) return null;
  const info = kb.eolOf(rel.product, rel.cycle);
  return info === null ? null : { name: rel.name, label: info.label, date: info.releaseDate };
}

/** Service pack from an NT build number, where the build tells it (Vista/2008, 7/2008 R2). */
function servicePack(v: WindowsVersion): string | null {
  if (v.build === 0) return null;
  if (v.major === 6 && v.minor === 0) return v.build >= 6002 ? 'sp2' : v.build >= 6001 ? 'sp1' : '-';
  if (v.major === 6 && v.minor === 1) return v.build >= 7601 ? 'sp1' : '-';
  return null;
}

const OS = (product: string, version: string | null, update: string | null | undefined, build: string | null, partial: boolean, source: string): Identity => ({
  part: 'o',
  vendor: 'microsoft',
  product,
  version,
  update: update ?? null,
  build,
  partial,
  source,
});

/** NVD product names of a Windows release. */
export function windowsIdentities(v: WindowsVersion, kb: KnowledgeBase, source = 'os'): Identity[] {
  const build = v.build > 0 ? `${v.major}.${v.minor}.${v.build}` : null;
  const sp = servicePack(v);
  const out: Identity[] = [];
  const key = `${v.major}.${v.minor}`;
  if (v.major === 10 && v.minor === 0) {
    const rel = v.build > 0 ? windowsReleaseOf(kb, v) : null;
    if (rel === null) return out;
    if (rel.product === 'windows-server') {
      // "Windows Server 2019", "Windows Server 1903 SAC".
      const m = /Server (\d{4}|\w+) ?(SAC|AC)?/.exec(rel.name);
      if (m !== null) {
        const y = m[1].toLowerCase();
        out.push(OS(`windows_server_${y}`, '-', null, build, true, source));
        if (m[2] !== undefined) out.push(OS('windows_server_2016', y, null, build, true, source));
      }
    } else {
      const m = /Windows (10|11) (\w+)/.exec(rel.name);
      if (m !== null && !rel.approximate) {
        const r = m[2].toLowerCase();
        out.push(OS(`windows_${m[1]}_${r}`, '-', null, build, true, source));
        out.push(OS(`windows_${m[1]}`, r, null, build, true, source));
        // Windows 10 1507 is also named by its build in older records.
        if (m[1] === '10' && r === '1507') out.push(OS('windows_10', '-', null, build, true, source));
      }
    }
    return out;
  }
  const legacy: Record<string, [string, string] | [string, string, string, string]> = {
    '5.0': ['windows_2000', '-'],
    '5.1': ['windows_xp', '-'],
    '5.2': ['windows_xp', '-', 'windows_server_2003', '-'],
    '6.0': ['windows_vista', '-', 'windows_server_2008', '-'],
    '6.1': ['windows_7', '-', 'windows_server_2008', 'r2'],
    '6.2': ['windows_8', '-', 'windows_server_2012', '-'],
    '6.3': ['windows_8.1', '-', 'windows_server_2012', 'r2'],
  };
  const l = legacy[key];
  if (l === undefined) return out;
  const [product, version] = v.server && l.length === 4 ? [l[2], l[3]] : [l[0], l[1]];
  out.push(OS(product, version, sp, build, true, source));
  return out;
}

/** Software banner names → NVD vendor and product (the common servers on clinical networks). */
const SOFTWARE_CPE: [RegExp, string, string][] = [
  [/^openssl$/i, 'openssl', 'openssl'],
  [/^openssh$/i, 'openbsd', 'openssh'],
  [/^apache$|^apache[ _-]?httpd$/i, 'apache', 'http_server'],
  [/^apache[ -]coyote$|^tomcat$/i, 'apache', 'tomcat'],
  [/^nginx$/i, 'f5', 'nginx'],
  [/^microsoft[ -]iis$/i, 'microsoft', 'internet_information_services'],
  [/^samba$/i, 'samba', 'samba'],
  [/^vsftpd$/i, 'beasts', 'vsftpd'],
  [/^proftpd$/i, 'proftpd', 'proftpd'],
  [/^filezilla server$/i, 'filezilla-project', 'filezilla_server'],
  [/^mysql$/i, 'oracle', 'mysql'],
  [/^mariadb$/i, 'mariadb', 'mariadb'],
  [/^postgresql$/i, 'postgresql', 'postgresql'],
  [/^(microsoft )?sql server$/i, 'microsoft', 'sql_server'],
  [/^dropbear(_ssh)?$/i, 'dropbear_ssh_project', 'dropbear_ssh'],
  [/^postfix$/i, 'postfix', 'postfix'],
  [/^dovecot$/i, 'dovecot', 'dovecot'],
  [/^exim$/i, 'exim', 'exim'],
  [/^lighttpd$/i, 'lighttpd', 'lighttpd'],
  [/^node\.js$/i, 'nodejs', 'node.js'],
];

/** Version string of a parsed banner ("1.0.1e" from OpenSSL/1.0.1e). */
function bannerVersion(s: string): { name: string; version: string } | null {
  // Several products in one banner: "Apache/2.2.22 (Debian) mod_ssl/2.2.22 OpenSSL/1.0.1e".
  const m = /^([A-Za-z][\w.+ -]*?)[/_ ]v?(\d[\w.()-]*)/.exec(s.trim());
  if (m !== null) return { name: m[1].trim(), version: m[2].replace(/[.)-]+$/, '') };
  const p = parseSoftware(s);
  if (p.major === undefined) return null;
  const parts = [p.major, p.minor, p.minor2, p.minor3].filter((x) => x !== undefined).join('.');
  return { name: p.name, version: parts };
}

/** Every "Name/version" in a banner, for multi-product Server headers. */
function bannerProducts(s: string): { name: string; version: string }[] {
  const out: { name: string; version: string }[] = [];
  const re = /([A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*)?)\/v?(\d[\w.()-]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) out.push({ name: m[1], version: m[2].replace(/[.)-]+$/, '') });
  if (out.length === 0) {
    const b = bannerVersion(s);
    if (b !== null) out.push(b);
  }
  // "OpenSSH_7.4p1": underscores join name and version.
  const ssh = /^SSH-[\d.]+-([A-Za-z]+)[_-](\d[\w.]*)/.exec(s) ?? /^(OpenSSH|dropbear)_(\d[\w.]*)/i.exec(s);
  if (ssh !== null) out.push({ name: ssh[1], version: ssh[2] });
  return out;
}

export function softwareIdentities(software: readonly string[]): Identity[] {
  const out: Identity[] = [];
  for (const s of software) {
    for (const b of bannerProducts(s)) {
      for (const [re, vendor, product] of SOFTWARE_CPE) {
        if (!re.test(b.name)) continue;
        // OpenSSH 7.4p1: NVD writes the version as 7.4 with update p1.
        let version = b.version;
        let update: string | null = null;
        const p = /^(\d+\.\d+)(p\d+)$/.exec(version);
        if (product === 'openssh' && p !== null) {
          version = p[1];
          update = p[2];
        }
        if (!out.some((o) => o.vendor === vendor && o.product === product && o.version === version)) {
          out.push({ part: 'a', vendor, product, version, update, partial: false, source: `software: ${s.slice(0, 120)}` });
        }
      }
    }
  }
  return out;
}

/** Names of the device's product in the NVD's spelling (vendor and product list of the index). */
export function productIdentities(d: Device, kb: KnowledgeBase): Identity[] {
  if (d.vendor === null || d.model === null) return [];
  const vk = vendorKey(d.vendor);
  const out: Identity[] = [];
  const version = productVersion(d);
  for (const [vendor, products] of nvdProducts(kb)) {
    if (vendorKey(vendor) !== vk) continue;
    for (const p of products) {
      const plain = p.replace(/_firmware$/, '').replace(/[_\\/]+/g, ' ');
      if (!sameProduct(d.model, plain, d.vendor)) continue;
      // Hardware is named without a version in NVD's platform statements.
      for (const part of ['o', 'a', 'h'] as const) out.push({ part, vendor, product: p, version: part === 'h' ? '-' : version, partial: false, source: `model: ${d.vendor} ${d.model}` });
    }
  }
  if (out.length === 0) out.push({ part: 'h', vendor: vk, product: cpeKey(d.model), version, source: `model: ${d.vendor} ${d.model}` });
  return out;
}

const productCache = new WeakMap<KnowledgeBase, Map<string, string[]>>();

/** NVD vendor → products named by vulnerable criteria. */
function nvdProducts(kb: KnowledgeBase): Map<string, string[]> {
  let m = productCache.get(kb);
  if (m !== undefined) return m;
  m = new Map();
  for (const r of kb.nvd.records.values()) {
    for (const cfg of r.configurations) for (const n of cfg.nodes) for (const c of n.cpeMatch) {
      const l = m.get(c.cpe.vendor) ?? [];
      if (!l.includes(c.cpe.product)) l.push(c.cpe.product);
      m.set(c.cpe.vendor, l);
    }
  }
  for (const l of m.values()) l.sort();
  productCache.set(kb, m);
  return m;
}

/**
 * The device's own product version: a software banner naming the model (or the vendor), else
 * the OS version of an embedded device whose OS is the vendor's own.
 */
export function productVersion(d: Device): string | null {
  if (d.model !== null) {
    const own = new Set(`${d.model} ${d.vendor ?? ''}`.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== ''));
    for (const s of d.software) {
      const b = bannerVersion(s);
      const named = b !== null && (sameProduct(b.name, d.model, d.vendor ?? '') || (d.vendor !== null && vendorKey(b.name) === vendorKey(d.vendor)));
      // "SpaceCom L81", "Medfusion 4000 1.5": the first token after the model's own words.
      const tokens = s.split(/[\s/]+/).filter((t) => t !== '');
      const lead = tokens.findIndex((t) => !own.has(t.toLowerCase()));
      if (lead > 0 && /\d/.test(tokens[lead])) return tokens[lead].replace(/^v(?=\d)/i, '').replace(/[,;)]+$/, '');
      if (named) return b!.version;
    }
  }
  if (d.os !== null && d.vendor !== null && d.os.version !== null && vendorKey(d.os.family) === vendorKey(d.vendor)) return d.os.version;
  return null;
}

/** All identities of a device: OS, software banners, model, and protocol facts (SMBv1). */
export function deviceIdentities(d: Device, kb: KnowledgeBase, extra: readonly Identity[] = []): Identity[] {
  const out: Identity[] = [];
  const ws = windowsCandidatesOf(d);
  if (ws.length === 1) out.push(...windowsIdentities(ws[0], kb));
  // Several releases (a fingerprint's "Windows 7 or 8"): each one's CVEs may apply, none by identity.
  else if (ws.length > 1) for (const w of ws) for (const id of windowsIdentities(w, kb)) out.push({ ...id, uncertain: true });
  else if (d.os !== null) out.push(...otherOsIdentities(d));
  out.push(...softwareIdentities(d.software));
  out.push(...productIdentities(d, kb));
  out.push(...extra);
  return out;
}

/** Linux distributions and Apple/Cisco systems as NVD names them. */
function otherOsIdentities(d: Device): Identity[] {
  const os = d.os!;
  const text = `${os.name} ${os.version ?? ''}`;
  const rules: [RegExp, string, string, (m: RegExpExecArray) => string][] = [
    [/ubuntu\D*(\d+\.\d+)/i, 'canonical', 'ubuntu_linux', (m) => m[1]],
    [/debian\D*(\d+)/i, 'debian', 'debian_linux', (m) => `${m[1]}.0`],
    [/mac ?os x?\D*(\d+\.\d+(?:\.\d+)?)/i, 'apple', 'mac_os_x', (m) => m[1]],
    [/cisco ios xe\D*(\d[\w.()]*)/i, 'cisco', 'ios_xe', (m) => m[1]],
    [/cisco ios\D*(\d[\w.()]*)/i, 'cisco', 'ios', (m) => m[1]],
    [/freebsd\D*(\d+\.\d+)/i, 'freebsd', 'freebsd', (m) => m[1]],
  ];
  for (const [re, vendor, product, ver] of rules) {
    const m = re.exec(text);
    // "10.9 or newer" names the product, not the release: CVEs of it may apply, none by version.
    if (m !== null) return [{ part: 'o', vendor, product, version: OPEN_ENDED.test(os.name) ? null : ver(m), partial: false, source: 'os' }];
  }
  return [];
}

export interface EolJudgement {
  /** "Windows 7", "Ubuntu 18.04". */
  name: string;
  product: string;
  cycle: string;
  label: string;
  /** End of support date, or null when the feed only says it ended. */
  date: string | null;
  eol: boolean;
  /** The releases an ambiguous OS name may be ("Windows 7", "Windows 8"), each judged the same. */
  alternatives?: string[];
}

/** endoflife.date product and cycle of a non-Windows OS name. */
/**
 * OS names read as endoflife.date products: pattern, product, the cycles to try. Apple's iOS is
 * not Cisco's IOS (nor IOS XE/XR or NX-OS): those are told apart by the device's OS family, and
 * endoflife.date has no Cisco IOS product, so they get no end-of-life judgement here.
 */
const EOL_NAMES: [RegExp, string, (m: RegExpExecArray) => string[], RegExp?][] = [
  [/ubuntu\D*(\d+\.\d+)/i, 'ubuntu', (m) => [m[1]]],
  [/debian\D*(\d+)/i, 'debian', (m) => [m[1]]],
  [/centos\D*(\d+)/i, 'centos', (m) => [m[1]]],
  [/(?:red hat|rhel)\D*(\d+)/i, 'rhel', (m) => [m[1]]],
  [/(?:suse|sles)\D*(\d+(?:\.\d+)?)/i, 'sles', (m) => [m[1].replace('.', '.'), m[1].split('.')[0]]],
  [/mac ?os(?: x)?\D*(\d+)(?:\.(\d+))?/i, 'macos', (m) => (Number(m[1]) === 10 && m[2] !== undefined ? [`10.${m[2]}`] : [m[1]])],
  [/\bios\D*(\d+)/i, 'ios', (m) => [m[1]], /cisco|\bios[ -]?x[er]\b|nx-os/i],
  [/android\D*(\d+)/i, 'android', (m) => [m[1]]],
  [/esxi\D*(\d+\.\d+)/i, 'vmware-esxi', (m) => [m[1]]],
  [/windows embedded\D*(\w+)/i, 'windows-embedded', (m) => [m[1].toLowerCase()]],
];

/** An OS name that only bounds the release from below ("… or newer", "… or later", "10.9+"). */
const OPEN_ENDED = /\bor (?:newer|later)\b|\d\+/i;

/** The inventory may know a date the feed does not. */
function fallback(os: NonNullable<Device['os']>, asOf: string): EolJudgement | null {
  if (os.eol_date !== null && /^\d{4}-\d{2}-\d{2}$/.test(os.eol_date)) return { name: os.name, product: os.family, cycle: os.version ?? '', label: os.name, date: os.eol_date, eol: os.eol_date <= asOf };
  return null;
}

/** Is the device's OS past its end of support on `asOf` (YYYY-MM-DD)? null when not known. */
export function judgeEol(d: Device, kb: KnowledgeBase, asOf: string): EolJudgement | null {
  const os = d.os;
  if (os === null) return null;
  const ws = windowsCandidatesOf(d);
  if (ws.length > 1) return judgeAlternatives(os.name, ws, kb, asOf);
  const w = ws.length === 1 ? ws[0] : null;
  let info = null as ReturnType<KnowledgeBase['eolOf']>;
  let name: string | null = null;
  if (w !== null) {
    const rel = windowsReleaseOf(kb, w);
    if (rel !== null) {
      info = kb.eolOf(rel.product, rel.cycle);
      name = rel.name;
    }
  } else {
    const text = `${os.name} ${os.version ?? ''}`;
    const kind = `${os.family} ${os.name}`;
    // "MacOS X 10.9 or newer" (p0f) bounds the release from below only: no cycle to judge.
    if (OPEN_ENDED.test(os.name)) return fallback(os, asOf);
    for (const [re, product, cycles, unless] of EOL_NAMES) {
      const m = re.exec(text);
      if (m === null || unless?.test(kind) === true) continue;
      for (const c of cycles(m)) {
        info = kb.eolOf(product, c);
        if (info !== null) break;
      }
      if (info !== null) break;
    }
  }
  if (info === null) return fallback(os, asOf);
  const date = info.eol;
  const eol = date !== null ? date <= asOf : info.ended === true;
  const title = kb.endoflife.products.get(info.product)?.title ?? info.product;
  // A label that already names the product ("macOS 14 (Sonoma)") is the name; a bare one ("12
  // (Bookworm)") is preceded by the product's title ("Debian").
  const titleWord = title.split(' ').pop()!.toLowerCase();
  const label = info.label.toLowerCase().includes(titleWord) ? info.label : `${title} ${info.label}`;
  return { name: name ?? label, product: info.product, cycle: info.cycle, label: info.label, date, eol };
}

/**
 * End of support of an OS that is one of several Windows releases: past it only when every
 * alternative is (then as of the last one's end), current only when every one is current;
 * otherwise not judged.
 */
function judgeAlternatives(name: string, ws: readonly WindowsVersion[], kb: KnowledgeBase, asOf: string): EolJudgement | null {
  const ends: { date: string | null; eol: boolean; product: string; cycle: string; label: string; name: string }[] = [];
  for (const w of ws) {
    const rel = windowsReleaseOf(kb, w);
    const info = rel === null ? null : kb.eolOf(rel.product, rel.cycle);
    if (rel === null || info === null) return null;
    ends.push({ date: info.eol, eol: info.eol !== null ? info.eol <= asOf : info.ended === true, product: info.product, cycle: info.cycle, label: info.label, name: rel.name });
  }
  if (!ends.every((e) => e.eol === ends[0].eol)) return null;
  const dated = ends.filter((e) => e.date !== null).sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
  // Past end of support: the last alternative's end; still supported: the first one's.
  const pick = dated.length === ends.length ? (ends[0].eol ? dated[dated.length - 1] : dated[0]) : ends[0];
  return { name, product: pick.product, cycle: pick.cycle, label: pick.label, date: dated.length === ends.length ? pick.date : null, eol: ends[0].eol, alternatives: ends.map((e) => e.name) };
}
