// poisonable-name-resolution: a device asks the whole segment for names DNS did not give it —
// by LLMNR multicast (RFC 4795) or NetBIOS name query broadcast (RFC 1002) — so any host of the
// segment can answer with its own address. Responder and Inveigh do exactly that, and the device
// then connects to them and offers its logon (an NTLM hash to crack, or to relay to another
// server: ATT&CK T1557.001). A WPAD name among them is worse: browsers and WinHTTP fetch their
// proxy configuration from whoever answers and authenticate to that proxy on their own.
// Windows does both by default until Group Policy turns them off; on a network with working DNS
// nothing needs them. The same holds for a device that solicits DHCPv6 on a link where no
// DHCPv6 server answers (Windows does, IPv6 being on by default): any host can answer and name
// itself as the DNS server — mitm6, which then answers every name, WPAD included. Finding on the
// device that asks; medium, high when it asked for WPAD or solicited DHCPv6 unanswered.
import type { Evidence, Finding } from '../../report/model.js';
import { listText, makeFinding, MAX_EVIDENCE, type RuleContext } from '../context.js';
import type { NameQueryObs } from '../observe.js';

function isWpad(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'wpad' || n.startsWith('wpad.');
}

export function poisonableNameResolution(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs: NameQueryObs[] = [];
    let solicit: { count: number; evidence: Evidence } | null = null;
    for (const h of ctx.hostsOf(d)) {
      for (const o of h.nameQueries.values()) obs.push(o);
      const s = h.dhcp6Solicit;
      if (s === null || ctx.obs.dhcp6Served.has(s.vlan)) continue;
      if (solicit === null) solicit = { count: s.count, evidence: s.evidence };
      else solicit = { count: solicit.count + s.count, evidence: s.evidence.ts < solicit.evidence.ts ? s.evidence : solicit.evidence };
    }
    if (obs.length === 0 && solicit === null) continue;
    obs.sort((a, b) => (a.evidence.ts !== b.evidence.ts ? a.evidence.ts - b.evidence.ts : a.evidence.packet - b.evidence.packet));
    const protocols: string[] = [...new Set(obs.map((o) => o.protocol))].sort();
    if (solicit !== null) protocols.push('DHCPv6');
    const names = [...new Set(obs.map((o) => o.name))];
    const wpad = obs.filter((o) => isWpad(o.name));
    const by = protocols.filter((p) => p !== 'DHCPv6').map((p) => (p === 'LLMNR' ? 'LLMNR multicast' : 'NetBIOS broadcast')).join(' and ');
    // Evidence is kept in time order and capped: the first WPAD query and the first unanswered SOLICIT always among it, since they make the finding high.
    const kept = [...wpad.slice(0, 1), ...(solicit !== null ? [solicit] : [])];
    const evidence = [...kept.map((o) => o.evidence), ...obs.filter((o) => o !== wpad[0]).slice(0, MAX_EVIDENCE - kept.length).map((o) => o.evidence)];
    const asks = names.length === 0 ? '' : `The device asks the whole segment for names by ${by}: ${names.length === 1 ? 'the name' : `${names.length} names,`} ${listText(names.map((n) => `"${n}"`), 6)}. Any host of the segment can answer with its own address, and the device then connects to it and offers its logon: Responder and Inveigh collect NTLM hashes to crack or relay this way (ATT&CK T1557.001)${wpad.length > 0 ? '. It asked for WPAD too: browsers and Windows services take their proxy configuration from whoever answers and authenticate to that proxy without asking the user' : ''}.`;
    const dhcp6 = solicit === null ? '' : `${asks === '' ? 'The device' : ' It also'} solicited DHCPv6 configuration (${solicit.count} SOLICIT${solicit.count === 1 ? '' : 's'}) and no DHCPv6 server answered on its link: any host can answer and name itself as the device's DNS server (mitm6), then answer every name it looks up, WPAD included, and relay the logons that follow (ATT&CK T1557.003).`;
    out.push(
      makeFinding('poisonable-name-resolution', d, {
        key: 'poisonable-name-resolution',
        title: `Name resolution open to poisoning (${protocols.join(', ')})`,
        detail: `${asks}${dhcp6}`,
        evidence,
        severity: wpad.length > 0 || solicit !== null ? 'high' : undefined,
      }),
    );
  }
  return out;
}
