// Directory reconnaissance over LDAP. Before moving laterally, an intruder with any domain account
// reads the directory: every object at once (ldapdomaindump, BloodHound's collectors, nmap's
// ldap-search), or the few filters that find what to attack next — accounts with a service
// principal name (Kerberoasting: impacket's GetUserSPNs), accounts without Kerberos
// pre-authentication (AS-REP roasting: GetNPUsers), accounts trusted for delegation
// (findDelegation), privileged accounts (adminCount=1), LAPS passwords and domain trusts.
// Applications look people up one at a time (a PACS resolving a login: one entry per search), so:
//  - a search whose filter (or the attributes it asks for) is one of those tools' is evidence
//    whatever it returned (the request is the intent; an OpenLDAP directory answers nothing);
//  - a client receiving `ldapDumpEntries` (1,000) entries within `ldapDumpWindowSecs` (600 s) from
//    searches that returned BULK_SEARCH_MIN (20) or more each is a dump.
// Clients listed in `ldapClients` (directory synchronisation, identity management) are not judged.
// Only searches in clear are seen: SASL-sealed LDAP (Windows' default) and LDAPS hide them. One
// medium alert per (client, server) episode, naming what was looked for; the client is the device.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry, windowEntry } from './window.js';

/** Active Directory's bitwise matching rules (LDAP_MATCHING_RULE_BIT_AND / _OR). */
const BIT = String.raw`:1\.2\.840\.113556\.1\.4\.80[34]:=`;

interface Recon {
  re: RegExp;
  /** What the search looks for, and who sends it, for the wording. */
  what: string;
  /** The ATT&CK technique the wording cites. */
  mitre: string;
  /** Also when the search asks for the attribute (reading LAPS passwords is the point, whatever the filter). */
  attribute?: boolean;
}

/** Filters of the reconnaissance tools (and attributes asked for, tested as `(attr=*)`, where marked). */
const RECON: readonly Recon[] = [
  { re: /\(serviceprincipalname=\*\)/i, what: "accounts with a service principal name, to Kerberoast (impacket's GetUserSPNs, Rubeus)", mitre: 'T1087.002' },
  { re: new RegExp(`useraccountcontrol${BIT}4194304\\)`, 'i'), what: "accounts without Kerberos pre-authentication, to AS-REP roast (impacket's GetNPUsers)", mitre: 'T1087.002' },
  { re: new RegExp(`useraccountcontrol${BIT}(?:524288|16777216)\\)|\\(msds-allowedtodelegateto=\\*\\)|\\(msds-allowedtoactonbehalfofotheridentity=\\*\\)`, 'i'), what: "accounts trusted for delegation (impacket's findDelegation, BloodHound)", mitre: 'T1087.002' },
  { re: /\(admincount=1\)/i, what: 'privileged accounts, adminCount=1 (BloodHound, PowerView)', mitre: 'T1069.002' },
  { re: /\((?:ms-mcs-admpwd|mslaps-password|mslaps-encryptedpassword)=\*\)/i, what: "LAPS local administrator passwords (crackmapexec's laps module, LAPSDumper)", mitre: 'T1552', attribute: true },
  { re: /\(objectclass=trusteddomain\)/i, what: 'domain trusts (BloodHound, nltest)', mitre: 'T1482' },
  { re: new RegExp(`useraccountcontrol${BIT}8192\\)`, 'i'), what: "domain controllers (nmap's ldap-search ad_dcs)", mitre: 'T1018' },
];
/** A search returning at least this many entries counts towards a dump. */
export const BULK_SEARCH_MIN = 20;
/** Distinct things named in one alert's wording, and evidence items kept. */
const MAX_ITEMS = 8;
const MAX_EVIDENCE = 6;

interface Window {
  first: number;
  entries: number;
  searches: number;
  evidence: Evidence | null;
}

export class LdapReconDetector {
  private readonly sanctioned: NetSet;
  /** `client|server` → its bulk searches in the current window */
  private readonly windows = new Map<string, Window>();
  /** `client|server` → what its open alert names (the dump's wording, which grows, and the tool searches), and its evidence */
  private readonly episodes = new Map<string, { dump: string | null; items: string[]; evidence: Evidence[] }>();

  constructor(private readonly ctx: DetectorContext) {
    this.sanctioned = new NetSet(ctx.cfg.ldapClients);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'ldap.search' || this.sanctioned.has(c.o0, c.o1, c.o2, c.o3)) return;
    const filter = typeof ev.filter === 'string' ? ev.filter : '';
    const attributes = Array.isArray(ev.attributes) ? ev.attributes : [];
    const count = typeof ev.result_count === 'number' ? ev.result_count : 0;
    const base = typeof ev.base_object === 'string' && ev.base_object !== '' ? ev.base_object : 'the root';
    const key = `${origAddr(c)}|${respAddr(c)}`;
    for (const r of RECON) {
      if (!r.re.test(filter) && !(r.attribute === true && attributes.some((a) => typeof a === 'string' && r.re.test(`(${a}=*)`)))) continue;
      const e = eventEvidence('ldap-recon-search', `search under ${base} for ${filter || '(no filter)'}: ${count} entries`, 'ldap_search.filter', ev, c, m, eventFile(this.ctx, ev, c, m));
      this.raise(key, c, m, `${r.what} [ATT&CK ${r.mitre}]`, e);
    }
    if (count < BULK_SEARCH_MIN) return;
    const cfg = this.ctx.cfg;
    const w = windowEntry(this.windows, key, m.ts, cfg.ldapDumpWindowSecs, cfg.maxSources, () => ({ first: m.ts, entries: 0, searches: 0, evidence: null })).entry;
    w.entries += count;
    w.searches++;
    w.evidence ??= eventEvidence('ldap-bulk-search', `search under ${base} for ${filter || '(no filter)'}: ${count} entries`, 'ldap_search.result_count', ev, c, m, eventFile(this.ctx, ev, c, m));
    if (w.entries < cfg.ldapDumpEntries) return;
    const mins = Math.round(cfg.ldapDumpWindowSecs / 60);
    this.raise(key, c, m, `${w.entries.toLocaleString('en-US')} directory entries in ${w.searches} ${w.searches === 1 ? 'search' : 'searches'} within ${mins} minutes: a dump of the directory (ldapdomaindump, BloodHound's collectors, nmap's ldap-search) [ATT&CK T1087.002]`, w.evidence, true);
  }

  /**
   * The alert of (client, server), naming `item` among what its episode looked for: a tool's
   * search, or (`dump`) the dump's wording, which replaces the episode's earlier one as its count grows.
   */
  private raise(key: string, c: Conn, m: PacketMeta, item: string, e: Evidence, dump = false): void {
    const ep = episodeEntry(this.ctx.book.get('ldap-recon', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, () => ({ dump: null as string | null, items: [] as string[], evidence: [] as Evidence[] }));
    if (dump) ep.dump = item;
    else if (!ep.items.includes(item) && ep.items.length < MAX_ITEMS) ep.items.push(item);
    if (ep.evidence.length < MAX_EVIDENCE && !ep.evidence.some((x) => x.packet === e.packet && x.fact === e.fact)) ep.evidence.push(e);
    const client = origAddr(c);
    const server = respAddr(c);
    this.ctx.book.observe({
      rule: 'ldap-recon',
      key,
      device: this.ctx.deviceId(client, c.origMac === 0 ? null : formatMac(c.origMac)),
      peer: server,
      ts: m.ts,
      severity: 'medium',
      why: `${client} searched the directory on ${server} the way Active Directory reconnaissance tools do: ${(ep.dump !== null ? [ep.dump, ...ep.items] : ep.items).join('; ')}. What it learnt is the map of the next step — accounts to crack, hosts to move to, passwords to read`,
      evidence: ep.evidence.slice(),
    });
  }

  size(): number {
    return this.windows.size + this.episodes.size;
  }
}
