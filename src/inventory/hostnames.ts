// A device's host names, most trustworthy source first: what the device says about itself
// (DHCP option 12/81, NetBIOS registrations and announcements), what its own protocols state
// (NTLM, SMB, mDNS/LLMNR, LLDP/CDP, SNMP sysName), then what others say about it (NetBIOS and
// DNS answers, PTR records, HTTP Host headers). Names are compared ignoring case.
import type { Fact } from './facts.js';

export const MAX_HOSTNAMES = 8;

const RANK: Record<string, number> = {
  'dhcp.option12': 1,
  'dhcp.option81': 1,
  'dhcpv6.option39': 1,
  'nbns.registration': 2,
  'nbns.node_status': 2,
  'browser.server_name': 2,
  'browser.master_browser': 2,
  'nbdgm.source_name': 2,
  'ntlm.nb_computer_name': 3,
  'ntlm.dns_computer_name': 3,
  'ntlm.workstation': 3,
  'krb.cname': 3,
  'radius.user_name': 3,
  'krb.addresses': 3,
  'nbss.calling_name': 3,
  'nbss.called_name': 3,
  'mdns.hostname': 3,
  'mdns.address': 3,
  'mdns.answer': 3,
  'llmnr.answer': 3,
  'lldp.system_name': 3,
  'cdp.device_id': 3,
  'snmp.sys_name': 3,
  'wsd.computer': 3,
  'rdp.client_name': 4,
  'lpd.host': 4,
  'niagara_fox.host_name': 3,
  'niagara_fox.client_host_name': 3,
  'capwap.wtp_name': 3,
  'capwap.ac_name': 3,
  'xdmcp.hostname': 3,
  'zabbix.host': 3,
  'drda.client_host': 3,
  'drda.server_host': 3,
  'zabbix.agent_hostname': 3,
  'zabbix.system_hostname': 3,
  'checkmk.hostname': 3,
  'ubdp.hostname': 3,
  'slp.hp_hostname': 3,
  'slp.url_host': 4,
  'sccp.device_name': 3,
  'mgcp.endpoint_domain': 4,
  'h323.h323_id': 4,
  'nbns.answer': 4,
  'mdns.ptr': 4,
  'llmnr.ptr': 4,
  'dns.ptr': 5,
  'dns.answer': 6,
  'http.host': 7,
};
const OTHER = 8;

export function pickHostnames(facts: readonly Fact[], max = MAX_HOSTNAMES): string[] {
  const names = facts.filter((f) => f.fact === 'hostname').sort((a, b) => (RANK[a.source] ?? OTHER) - (RANK[b.source] ?? OTHER) || a.seq - b.seq);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of names) {
    const k = f.value.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f.value);
    if (out.length >= max) break;
  }
  return out;
}
