// rdp-security: an RDP server that accepted a session without Network Level Authentication
// (MS-RDPBCGR 2.2.1.2.1: selectedProtocol other than PROTOCOL_HYBRID). With standard RDP security
// (PROTOCOL_RDP) the session is protected by RC4 under keys an active man in the middle obtains
// (the server's key is not authenticated) and the password is typed into that session; with TLS
// but no CredSSP the logon screen, and the code behind it, is offered to anyone before any
// authentication (BlueKeep, CVE-2019-0708, was reachable exactly there).
import type { Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';

export function rdpSecurity(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs = ctx.hostsOf(d).map((h) => h.rdpNoNla).filter((o) => o !== null);
    if (obs.length === 0) continue;
    const standard = obs.some((o) => o.protocol === 'RDP');
    out.push(
      makeFinding('rdp-security', d, {
        key: 'server',
        title: standard ? 'RDP with standard RDP security (no TLS, no NLA)' : 'RDP without Network Level Authentication',
        detail: standard
          ? 'The device accepted an RDP session under standard RDP security: RC4 encryption with a server key nobody vouches for (a man in the middle reads the password typed in), and the logon screen offered before any authentication.'
          : 'The device accepted an RDP session over TLS without CredSSP: its logon screen, and the code behind it, is offered to anyone before authentication.',
        evidence: obs.map((o) => o.evidence),
        severity: standard ? 'high' : 'medium',
      }),
    );
  }
  return out;
}
