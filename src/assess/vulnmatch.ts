// Which CVEs apply to a device: its identities (OS, software banners, model, SMBv1 served)
// against the NVD records' CPE configurations, then CVE JSON 5 `affected` entries for CVEs NVD
// does not describe, then what the traffic itself shows (a Heartbleed over-read, SSLv3, 3DES, a
// Zerologon all-zero netlogon credential accepted or tried).
// Each match is "yes" (the version is inside an affected range or the release is listed) or
// "unknown" (the product matches but the version is not visible); a version known to be outside
// every range yields nothing. Shared by the vulnerability and known-exploited-vulnerability rules.
import { matchConfigurations, parseCpe23, type Identity, type NodeMatch, type Tri } from '../knowledge/cpe.js';
import type { Cve5Affected, Cve5Record } from '../knowledge/cve5.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import { compareVersions } from '../knowledge/version.js';
import { sameProduct, vendorKey } from '../knowledge/names.js';
import type { Device, Evidence } from '../report/model.js';
import { kbEvidence, type RuleContext } from './context.js';
import { deviceIdentities, productVersion, windowsReleaseDateOf, windowsVersionOf } from './identity.js';
import type { HostObs } from './observe.js';

export interface CveMatch {
  cve: string;
  result: 'yes' | 'unknown';
  /** Why: "nvd", "cve5" or "traffic". */
  basis: string;
  cvss: number | null;
  cvssVersion: string | null;
  kev: boolean;
  kevDue: string | null;
  name: string;
  detail: string;
  requiredAction: string | null;
  evidence: Evidence[];
}

/** CVEs whose exposure is a network service: the evidence that the service is served. */
const SERVICE_CVES: Record<string, 'rdp' | 'smb1' | 'smbCompression'> = {
  'CVE-2019-0708': 'rdp',
  'CVE-2019-1181': 'rdp',
  'CVE-2019-1182': 'rdp',
  'CVE-2019-1222': 'rdp',
  'CVE-2019-1226': 'rdp',
  'CVE-2012-0002': 'rdp',
  'CVE-2017-0143': 'smb1',
  'CVE-2017-0144': 'smb1',
  'CVE-2017-0145': 'smb1',
  'CVE-2017-0146': 'smb1',
  'CVE-2017-0147': 'smb1',
  'CVE-2017-0148': 'smb1',
  'CVE-2009-3103': 'smb1',
  'CVE-2020-0796': 'smbCompression',
};

/** OpenSLP in VMware ESXi: heap overwrite (VMSA-2019-0022), use-after-free (VMSA-2020-0023), heap overflow (VMSA-2021-0002, ESXiArgs). */
const ESXI_SLP_CVES = ['CVE-2019-5544', 'CVE-2020-3992', 'CVE-2021-21974'];
/** SLP reflection with registered services (Bitsight/Curesec, 2023), in CISA KEV. */
const SLP_AMPLIFICATION = 'CVE-2023-29552';
/** VMware's workaround (KB 76372) and fixes, for the ESXi CVEs. */
const ESXI_SLP_FIX = 'VMware: stop and disable the SLP service on the host (`/etc/init.d/slpd stop`, `esxcli network firewall ruleset set -r CIMSLP -e 0`, `chkconfig slpd off`; KB 76372) unless CIM clients need it, and patch per VMSA-2019-0022, VMSA-2020-0023 and VMSA-2021-0002; keep 427 unreachable from outside the management network.';
const HEARTBLEED = 'CVE-2014-0160';
const POODLE = 'CVE-2014-3566';
const SWEET32 = 'CVE-2016-2183';
const ZEROLOGON = 'CVE-2020-1472';
/** MS17-010's SMBv1 remote code execution that EternalBlue exploits. */
const ETERNALBLUE = 'CVE-2017-0144';
/** The Server service's path canonicalisation overflow (MS08-067) that Conficker exploits. */
const MS08_067 = 'CVE-2008-4250';
/**
 * Refused all-zero netlogon authenticates that make an exploitation attempt: the exploit retries
 * about 2000 times (Secura, 2020), while one stray zero credential could be a client bug.
 */
export const ZEROLOGON_MIN_ATTEMPTS = 3;


/**
 * Windows service packs and feature releases are cumulative: each carries every security update
 * published before it (Microsoft's standard terminology for software updates, KB 824684). NVD
 * often names an old CVE's products with any update ("windows_7:-:*", "windows_server_2008:r2:*"),
 * which would list it for Windows 7 SP1 or Server 2008 R2 SP1 although those shipped with its fix.
 * A CVE published at least this long before the release a device runs is taken as fixed in that
 * release; the margin covers flaws disclosed before their fix (MS10-046 came 11 days after
 * CVE-2010-2568) and the weeks between a release's sign-off and its availability.
 */
export const CUMULATIVE_RELEASE_MARGIN_DAYS = 180;

const DAY_MS = 86_400_000;

/**
 * Is an NVD match only through Windows criteria that leave the update open, for a CVE published
 * long before the device's exact release shipped? A criterion that names the service pack itself
 * ("windows_7:-:sp1") is NVD's own word and stands.
 */
function fixedByRelease(published: string, r: NodeMatch, release: { date: string } | null): boolean {
  if (release === null || r.hits.length === 0) return false;
  const pub = Date.parse(published.slice(0, 10));
  const rel = Date.parse(release.date);
  if (!Number.isFinite(pub) || !Number.isFinite(rel) || rel - pub < CUMULATIVE_RELEASE_MARGIN_DAYS * DAY_MS) return false;
  return r.hits.every((h) => {
    const c = parseCpe23(h.criteria);
    return c !== null && c.update === '*' && h.identity.part === 'o' && h.identity.vendor === 'microsoft' && h.identity.product.startsWith('windows');
  });
}

/** The device's own evidence of what it runs (OS, software, model). */
function identityEvidence(d: Device): Evidence[] {
  return d.evidence.filter((e) => e.fact === 'os' || e.fact === 'software' || e.fact === 'model' || e.fact === 'firmware' || e.fact === 'user_agent').slice(0, 3);
}

function serviceEvidence(hosts: readonly HostObs[], kind: 'rdp' | 'smb1' | 'smbCompression'): Evidence[] {
  const out: Evidence[] = [];
  for (const h of hosts) {
    if (kind === 'rdp' && h.rdp !== null) out.push(h.rdp.evidence);
    if (kind === 'smb1' && h.smb1.server !== null) out.push(h.smb1.server);
    if (kind === 'smbCompression' && h.smbCompression !== null) out.push(h.smbCompression);
  }
  return out;
}

/** Identities the traffic adds: SMBv1 served by a Windows host is Microsoft's SMBv1 server. */
function trafficIdentities(d: Device, hosts: readonly HostObs[]): Identity[] {
  if (windowsVersionOf(d) === null) return [];
  return hosts.some((h) => h.smb1.server !== null) ? [{ part: 'a', vendor: 'microsoft', product: 'server_message_block', version: '1.0', source: 'smb.dialect' }] : [];
}

/** CVE JSON 5 `affected` entry against a device: vendor, product name, then versions. */
function matchAffected(a: Cve5Affected, d: Device, version: string | null): Tri {
  if (d.vendor === null || d.model === null || a.vendor === '' || a.product === '') return 'no';
  if (vendorKey(a.vendor) !== vendorKey(d.vendor) || !sameProduct(d.model, a.product, a.vendor)) return 'no';
  let anyListed = false;
  for (const v of a.versions) {
    if (v.status !== 'affected') continue;
    anyListed = true;
    if (v.versionType === 'date') return 'unknown';
    const upper = v.lessThan ?? v.lessThanOrEqual;
    if (upper !== undefined) {
      if (version === null) return 'unknown';
      const lowOpen = v.version === '0' || v.version === '*' || v.version === '' || /^unspecified$|^n\/a$/i.test(v.version);
      const lo = lowOpen ? 0 : compareVersions(version, v.version);
      const hi = compareVersions(version, upper.replace(/^v/i, ''));
      if (lo === null || hi === null) return 'unknown';
      if (lo >= 0 && (v.lessThan !== undefined ? hi < 0 : hi <= 0)) return 'yes';
      continue;
    }
    // A single version, or a sentence such as "all versions".
    if (/all versions|^all$/i.test(v.version) || /^unspecified$|^n\/a$/i.test(v.version)) return version === null ? 'unknown' : 'yes';
    if (version === null) return 'unknown';
    if (compareVersions(version, v.version) === 0) return 'yes';
  }
  if (!anyListed || a.defaultStatus === 'affected') return version === null ? 'unknown' : a.defaultStatus === 'affected' ? 'yes' : 'unknown';
  return 'no';
}

function cve5Match(r: Cve5Record, d: Device, version: string | null): Tri {
  let best: Tri = 'no';
  for (const a of r.affected) {
    const t = matchAffected(a, d, version);
    if (t === 'yes') return 'yes';
    if (t === 'unknown') best = 'unknown';
  }
  return best;
}

const cache = new WeakMap<RuleContext, Map<string, CveMatch[]>>();

/**
 * The knowledge base's CVE 5 records in id order, grouped by the vendor key of their `affected`
 * entries: built once per knowledge base so a device is tried only against its own vendor's records.
 */
const cve5Index = new WeakMap<KnowledgeBase, Map<string, Cve5Record[]>>();
function cve5ForVendor(kb: KnowledgeBase, vendor: string): readonly Cve5Record[] {
  let ix = cve5Index.get(kb);
  if (ix === undefined) {
    ix = new Map();
    for (const r of [...kb.cve5.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const keys = new Set<string>();
      for (const a of r.affected) if (a.vendor !== '' && a.product !== '') keys.add(vendorKey(a.vendor));
      for (const k of keys) {
        let l = ix.get(k);
        if (l === undefined) ix.set(k, (l = []));
        l.push(r);
      }
    }
    cve5Index.set(kb, ix);
  }
  return ix.get(vendorKey(vendor)) ?? [];
}

/** The CVE matches of one device, computed once per assessment. */
export function deviceCves(ctx: RuleContext, d: Device): CveMatch[] {
  let m = cache.get(ctx);
  if (m === undefined) {
    m = new Map();
    cache.set(ctx, m);
  }
  const hit = m.get(d.id);
  if (hit !== undefined) return hit;
  const out = computeCves(ctx, d);
  m.set(d.id, out);
  return out;
}

function computeCves(ctx: RuleContext, d: Device): CveMatch[] {
  const kb = ctx.kb;
  const hosts = ctx.hostsOf(d);
  const ids = deviceIdentities(d, kb, trafficIdentities(d, hosts));
  const out = new Map<string, CveMatch>();
  const base = identityEvidence(d);
  const describe = (cve: string, result: 'yes' | 'unknown', basis: string, detail: string, ev: Evidence[]): CveMatch => {
    const nvd = kb.nvdOf(cve);
    const c5 = kb.cve5Of(cve);
    const kev = kb.kevOf(cve);
    const cvss = nvd?.cvss ?? c5?.cvss ?? null;
    const name = kev?.name ?? nvd?.kev?.name ?? (c5?.title || '') ?? '';
    const desc = nvd?.description ?? c5?.description ?? '';
    return {
      cve,
      result,
      basis,
      cvss: cvss?.score ?? null,
      cvssVersion: cvss?.version ?? null,
      kev: kev !== null || nvd?.kev !== undefined || c5?.kev !== undefined,
      kevDue: kev?.dueDate ?? nvd?.kev?.dueDate ?? null,
      name: name !== '' ? name : desc.split(/(?<=\.)\s/)[0].slice(0, 160),
      detail,
      requiredAction: kev?.requiredAction ?? nvd?.kev?.requiredAction ?? (c5 !== null && c5.solutions.length > 0 ? c5.solutions[0].slice(0, 400) : null),
      evidence: ev,
    };
  };
  // 1. NVD applicability statements.
  const candidates = new Set<string>();
  for (const id of ids) for (const c of kb.nvd.cvesFor(id.vendor, id.product)) candidates.add(c);
  const nvdVerdict = new Map<string, Tri>();
  const release = windowsReleaseDateOf(kb, d);
  for (const cve of [...candidates].sort()) {
    const rec = kb.nvdOf(cve)!;
    const r = matchConfigurations(rec.configurations, ids);
    if (r.result !== 'no' && fixedByRelease(rec.published, r, release)) {
      nvdVerdict.set(cve, 'no');
      continue;
    }
    nvdVerdict.set(cve, r.result);
    if (r.result === 'no') continue;
    const used = r.hits.filter((h) => h.result === r.result || r.result === 'unknown');
    const how = used.map((h) => `${h.criteria}${h.range !== '' ? ` (${h.range})` : ''} ← ${h.identity.source}${h.identity.build ? ` ${h.identity.build}` : h.identity.version && h.identity.version !== '-' ? ` ${h.identity.version}` : ''}`);
    const ev = [...base, kbEvidence(ctx, 'cpe-match', how[0] ?? cve, 'knowledge', rec.file)];
    const svc = SERVICE_CVES[cve];
    let detail = r.result === 'yes' ? `${cve} applies by identity: ${how.slice(0, 2).join('; ')}.` : `${cve} may apply: the product matches (${how.slice(0, 2).join('; ')}) but its exact version or patch level is not visible.`;
    if (svc !== undefined) {
      const s = serviceEvidence(hosts, svc);
      ev.push(...s);
      detail += s.length > 0 ? ` The vulnerable service is exposed: ${s[0].value}.` : ' The vulnerable service was not seen in this traffic.';
    }
    if (windowsVersionOf(d) !== null && r.result === 'yes') detail += ' Passive traffic does not show the patch level; the release is affected unless the fix is installed.';
    out.set(cve, describe(cve, r.result, 'nvd', detail, ev));
  }
  // 2. CVE JSON 5 records NVD does not cover here.
  const version = productVersion(d);
  // matchAffected needs the device's vendor and model; only records naming that vendor can match.
  for (const r of d.vendor !== null && d.model !== null ? cve5ForVendor(kb, d.vendor) : []) {
    if (kb.nvdOf(r.id) !== null || out.has(r.id)) continue;
    const t = cve5Match(r, d, version);
    if (t === 'no') continue;
    const detail = t === 'yes' ? `${r.id} lists ${d.vendor} ${d.model}${version !== null ? ` ${version}` : ''} as affected.` : `${r.id} lists ${d.vendor} ${d.model} as affected; the device's version is not visible.`;
    out.set(r.id, describe(r.id, t, 'cve5', detail, [...base, kbEvidence(ctx, 'affected', `${d.vendor} ${d.model}`, 'knowledge', r.file)]));
  }
  // 3. What the traffic shows.
  const traffic = (cve: string, result: 'yes' | 'unknown', detail: string, ev: Evidence[]): void => {
    const verdict = nvdVerdict.get(cve);
    // An identity outside every affected range outweighs an attempt, not a server's answer that proves it.
    if (result !== 'yes' && verdict === 'no' && ids.some((i) => kb.nvd.cvesFor(i.vendor, i.product).includes(cve))) return;
    const prev = out.get(cve);
    if (prev !== undefined) {
      prev.evidence.push(...ev);
      if (result === 'yes') {
        prev.result = 'yes';
        prev.detail += ` ${detail}`;
      }
      return;
    }
    out.set(cve, describe(cve, result, 'traffic', detail, ev));
  };
  for (const h of hosts) {
    if (h.heartbleed.leaked > 0) traffic(HEARTBLEED, 'yes', `The server answered an over-long TLS heartbeat request with a larger response: memory disclosure (Heartbleed) seen on the wire.`, h.heartbleed.evidence);
    else if (h.heartbleed.attempts > 0) traffic(HEARTBLEED, 'unknown', `A Heartbleed exploitation attempt (an over-long heartbeat request) was sent to this server; no leaking response was seen.`, h.heartbleed.evidence);
    const z = h.zerologon;
    if (z.succeeded > 0 && z.success !== null) {
      const ev = [z.success];
      if (z.passwordSet !== null) ev.push(z.passwordSet);
      if (z.firstAttempt !== null && z.firstAttempt.packet !== z.success.packet) ev.push(z.firstAttempt);
      traffic(ZEROLOGON, 'yes', `This domain controller accepted a netlogon authentication with an all-zero ClientCredential (STATUS_SUCCESS${z.refused > 0 ? ` after ${z.refused} refused tries` : ''}) from ${z.clients.join(', ')}: Zerologon succeeded on the wire${z.passwordSet !== null ? ', and NetrServerPasswordSet2 followed (the machine account password was likely reset)' : ''}.`, ev);
    } else if (z.refused >= ZEROLOGON_MIN_ATTEMPTS && z.firstAttempt !== null) {
      traffic(ZEROLOGON, 'unknown', `A Zerologon exploitation attempt: ${z.refused} netlogon authentications with an all-zero ClientCredential were sent to this domain controller from ${z.clients.join(', ')}, all refused (a patched DC refuses them).`, [z.firstAttempt]);
    }
    const w = h.wormable;
    if (w !== null && (w.ms17010 !== null || w.doublePulsar !== null)) {
      const said = w.doublePulsar !== null
        ? `The server answered a DoublePulsar ping with the multiplex id raised by 16: the DoublePulsar kernel backdoor the EternalBlue exploit installs is running on it — the host is compromised${w.ms17010 !== null ? ', and it answered the MS17-010 check as unpatched' : ''}.`
        : 'The server answered the MS17-010 check (a TRANSACTION PeekNamedPipe on FID 0) with STATUS_INSUFF_SERVER_RESOURCES, the answer of an SMBv1 server without the MS17-010 update: EternalBlue (WannaCry, NotPetya) works against it.';
      traffic(ETERNALBLUE, 'yes', said, [w.ms17010, w.doublePulsar].filter((e): e is Evidence => e !== null));
    }
    if (w !== null && (w.ms08067 !== null || w.conficker !== null)) {
      const said = w.conficker !== null
        ? "The server answered MS08-067's check (srvsvc NetprPathCompare with a path climbing out of itself) with WERR_INVALID_PARAMETER, the answer of a server Conficker patched for its own use: the host is infected."
        : "The server answered MS08-067's check (srvsvc NetprPathCompare with a path climbing out of itself) with success, the answer of a server without the MS08-067 update: Conficker's exploit works against it.";
      traffic(MS08_067, 'yes', said, [w.ms08067, w.conficker].filter((e): e is Evidence => e !== null));
    }
    const slp = h.slp;
    if (slp !== null && slp.answered !== null && slp.esxi !== null) {
      // Only what the knowledge base describes: CVE-2021-21974 (ESXiArgs) is in neither the bundled
      // KEV catalog nor its NVD records, and counts once a newer feed imported with `kb import` has it.
      for (const cve of ESXI_SLP_CVES) if (kb.nvdOf(cve) !== null || kb.cve5Of(cve) !== null || kb.kevOf(cve) !== null) traffic(cve, 'unknown', `The host's SLP service answered (${slp.answered.value}) and names the host VMware ESXi (${slp.esxi.value}): the OpenSLP of ESXi this CVE is in is reachable; the build is not visible, so whether the fix is installed is not known. ${ESXI_SLP_FIX}`, [slp.esxi, slp.answered]);
    }
    if (slp !== null && slp.registration !== null) {
      traffic(SLP_AMPLIFICATION, 'yes', `The host's SLP agent ${slp.registration.value} and answers on UDP 427: registered services make its replies many times larger than the requests (reflection amplification). Disable SLP, or block 427 from untrusted networks.`, slp.answered !== null ? [slp.registration, slp.answered] : [slp.registration]);
    } else if (slp !== null && slp.internet !== null) {
      // A LAN printer answering its own segment's SLP requests is ordinary; one answering the
      // Internet is the reflector the KEV entry is about.
      traffic(SLP_AMPLIFICATION, 'unknown', `The host's SLP agent ${slp.internet.value}: reachable from the Internet it reflects and amplifies spoofed requests, more so if it accepts registrations. Disable SLP where nothing needs it, or block 427 at the network's edge.`, [slp.internet]);
    }
    for (const w of h.tls.values()) {
      if (w.kind === 'version' && w.value === 'SSLv3' && /_CBC_/.test(w.cipher ?? '')) traffic(POODLE, 'unknown', `SSLv3 with the CBC suite ${w.cipher} negotiated on port ${w.port} (POODLE).`, [w.evidence]);
      if (w.kind === 'cipher' && /3DES|DES_192_EDE3/.test(w.value)) traffic(SWEET32, 'unknown', `A 64-bit block cipher (3DES) negotiated on port ${w.port} (SWEET32).`, [w.evidence]);
    }
  }
  return [...out.values()].sort((a, b) => (a.cve < b.cve ? -1 : 1));
}
