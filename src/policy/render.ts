// The policy as firewall configuration. Every format only restricts the fenced devices: traffic
// of other hosts is left to the site's own rules. Each device gets an inbound and an outbound
// list: the conversations seen are allowed (with a comment saying how often, since when, and
// where the first one is recorded), the rest is logged and dropped; replies of allowed
// connections pass (stateful formats: conntrack; Cisco IOS ACLs: `established` and the reply's
// source port). Channels a control protocol negotiates (FTP data, TFTP transfers, SIP's media)
// are admitted by the firewall's helper for that protocol, set on the control rule (conntrack
// helpers in nftables and iptables, the ALGs of PAN-OS); stateless ACLs allow them as seen.
import { commentText, describe, isV4, MAX_REFUSED_PEERS, ruleWhy, type HelperUse, type Policy, type PolicyDevice, type PolicyRule } from './policy.js';

export type PolicyFormat = 'nftables' | 'iptables' | 'panos' | 'cisco';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['nftables', 'iptables', 'panos', 'cisco'];

function header(p: Policy, c: string, format: string, load: string[], helpers = true): string[] {
  const rules = p.devices.reduce((n, d) => n + d.rules.length + (helpers ? 0 : d.channelRules.length), 0);
  const channels = p.devices.reduce((n, d) => n + d.channelRules.length, 0);
  const lines = [
    `wardline least-privilege segmentation policy (${format})`,
    `from ${p.source}; scope: ${p.only !== null ? `the devices asked for (${p.only.join(', ')})` : p.scope === 'all' ? 'every device' : p.scope === 'medical' ? 'medical devices' : 'medical and IoT/OT devices'}`,
    `${p.devices.length} device${p.devices.length === 1 ? '' : 's'}, ${rules} allow rule${rules === 1 ? '' : 's'} from ${p.used} of ${p.conversations} answered conversations`,
    'Each fenced device may reach, and be reached by, only what it was seen doing; the rest is logged and dropped.',
    'Review before use: a conversation the capture did not see (a monthly backup, a failover peer) is denied.',
    'Only traffic that crosses this firewall is filtered: devices on one switched segment reach each other directly.',
    ...load,
  ];
  if (channels > 0 && helpers) lines.push(`${channels} negotiated channel rule${channels === 1 ? '' : 's'} (FTP data, TFTP transfers, SIP media) left to the firewall helpers of the allowed FTP, TFTP and SIP sessions: each call or transfer uses new ports.`);
  if (channels > 0 && !helpers) lines.push(`${channels} rule${channels === 1 ? '' : 's'} allow FTP data, TFTP transfers or SIP media on the ports seen: they change with each call or transfer; with Zone-Based Firewall, inspect ftp, tftp and sip instead.`);
  if (p.withoutAddress.length > 0) lines.push(`In scope without an address (no rule possible): ${p.withoutAddress.join(', ')}`);
  for (const r of p.refusedInbound) {
    const peers = `${r.peers >= MAX_REFUSED_PEERS ? 'at least ' : ''}${r.peers} Internet address${r.peers === 1 ? '' : 'es'}`;
    lines.push(`Not allowed: ${r.proto}/${r.port}${r.service !== '' ? ` ${r.service}` : ''} of ${r.device} from ${peers} (${r.count} connection${r.count === 1 ? '' : 's'}; the internet-exposure finding). If a vendor or remote user needs it, give them a VPN or a managed remote-access gateway instead.`);
  }
  for (const r of p.refusedEncryptedDns) {
    const peers = `${r.peers >= MAX_REFUSED_PEERS ? 'at least ' : ''}${r.peers} Internet resolver${r.peers === 1 ? '' : 's'}`;
    lines.push(`Not allowed: encrypted DNS, ${r.proto}/${r.port}${r.service !== '' ? ` ${r.service}` : ''} from ${r.device} to ${peers} (${r.count} connection${r.count === 1 ? '' : 's'}; the encrypted-dns finding). The device resolves names through the site's resolvers.`);
  }
  return lines.map((l) => `${c} ${commentText(l, 400)}`.trimEnd());
}

const byFamily = (ips: readonly string[]): { v4: string[]; v6: string[] } => ({ v4: ips.filter(isV4), v6: ips.filter((x) => !isV4(x)) });

// ---- nftables ------------------------------------------------------------------------------

export function renderNftables(p: Policy): string {
  const out = ['#!/usr/sbin/nft -f', ...header(p, '#', 'nftables', ['Load: nft -f <file> (replaces table inet wardline; remove it with: nft delete table inet wardline).']), ''];
  out.push('table inet wardline', 'delete table inet wardline', 'table inet wardline {');
  const uses = helperUses(p);
  if (uses.length > 0) {
    for (const h of uniqueHelpers(uses)) out.push(`  ct helper ${helperName(h)} {`, `    type "${h.helper}" protocol ${h.proto};`, '    l3proto inet;', '  }');
    out.push('  chain helpers {', '    # the control sessions whose helper admits the channels they negotiate (RELATED below)', '    type filter hook prerouting priority filter; policy accept;');
    for (const [d, h] of uses) {
      const { v4, v6 } = byFamily(d.ips);
      const key = h.direction === 'in' ? 'daddr' : 'saddr';
      if (v4.length) out.push(`    ip ${key} ${nftSet(v4)} ${h.proto} dport ${h.port} ct helper set "${helperName(h)}"`);
      if (v6.length) out.push(`    ip6 ${key} ${nftSet(v6)} ${h.proto} dport ${h.port} ct helper set "${helperName(h)}"`);
    }
    out.push('  }');
  }
  out.push('  chain forward {', '    type filter hook forward priority filter - 10; policy accept;', '    ct state established,related accept', '    ct state invalid drop');
  p.devices.forEach((d, i) => {
    const { v4, v6 } = byFamily(d.ips);
    out.push(`    # ${commentText(describe(d))}`);
    if (v4.length) out.push(`    ip daddr ${nftSet(v4)} jump in_${i + 1}`, `    ip saddr ${nftSet(v4)} jump out_${i + 1}`);
    if (v6.length) out.push(`    ip6 daddr ${nftSet(v6)} jump in_${i + 1}`, `    ip6 saddr ${nftSet(v6)} jump out_${i + 1}`);
  });
  out.push('  }');
  p.devices.forEach((d, i) => {
    for (const dir of ['in', 'out'] as const) {
      out.push('', `  chain ${dir}_${i + 1} {`, `    # ${commentText(describe(d))}: ${dir === 'in' ? 'who may reach it' : 'what it may reach'}`);
      for (const r of d.rules.filter((x) => x.direction === dir)) {
        out.push(`    # ${commentText(ruleWhy(r), 400)}`);
        const note = `comment "${commentText(`${r.service || `${r.proto}/${r.port}`}: ${r.count} seen`, 100)}"`;
        const peerKey = dir === 'in' ? 'saddr' : 'daddr';
        const { v4, v6 } = byFamily(r.peers);
        if (r.anyPeer) out.push(`    ${r.proto} dport ${r.port} accept ${note}`);
        if (v4.length) out.push(`    ip ${peerKey} ${nftSet(v4)} ${r.proto} dport ${r.port} accept ${note}`);
        if (v6.length) out.push(`    ip6 ${peerKey} ${nftSet(v6)} ${r.proto} dport ${r.port} accept ${note}`);
      }
      out.push(`    log prefix "wardline ${dir}_${i + 1} deny: " drop`, '  }');
    }
  });
  out.push('}', '');
  return out.join('\n');
}

function nftSet(ips: readonly string[]): string {
  return ips.length === 1 ? ips[0] : `{ ${ips.join(', ')} }`;
}

/** Every device's helper uses, in device order. */
function helperUses(p: Policy): [PolicyDevice, HelperUse][] {
  const out: [PolicyDevice, HelperUse][] = [];
  for (const d of p.devices) for (const h of d.helpers) out.push([d, h]);
  return out;
}

function uniqueHelpers(uses: [PolicyDevice, HelperUse][]): HelperUse[] {
  const m = new Map<string, HelperUse>();
  for (const [, h] of uses) m.set(helperName(h), h);
  return [...m.values()].sort((a, b) => (helperName(a) < helperName(b) ? -1 : 1));
}

/** "wl-sip-udp-5060": one helper object per protocol, transport and port. */
function helperName(h: HelperUse): string {
  return `wl-${h.helper}-${h.proto}-${h.port}`;
}

// ---- iptables ------------------------------------------------------------------------------

export function renderIptables(p: Policy): string {
  const out = header(p, '#', 'iptables-restore --noflush', [
    'Load: iptables-restore --noflush <file>. IPv4 only (use the nftables format for IPv6).',
    'The WARDLINE chain only drops: what it allows RETURNs to FORWARD, where the site rules still apply.',
    'Reloading re-creates the chains; the FORWARD jump is inserted again: remove the old one first (iptables -D FORWARD -j WARDLINE, and iptables -t raw -D PREROUTING -j WL-HELPERS).',
  ]);
  const uses = helperUses(p).filter(([d]) => byFamily(d.ips).v4.length > 0);
  if (uses.length > 0) {
    // Helpers are chosen in the raw table, before conntrack sees the connection.
    out.push('*raw', ':WL-HELPERS - [0:0]');
    for (const [d, h] of uses) {
      for (const ip of byFamily(d.ips).v4) out.push(`-A WL-HELPERS ${h.direction === 'in' ? '-d' : '-s'} ${ip}/32 -p ${h.proto} -m ${h.proto} --dport ${h.port} -m comment --comment "${commentText(`${h.helper} helper: ${describe(d)}`, 200)}" -j CT --helper ${h.helper}`);
    }
    out.push('-I PREROUTING 1 -j WL-HELPERS', 'COMMIT');
  }
  out.push('*filter', ':WARDLINE - [0:0]');
  p.devices.forEach((_, i) => out.push(`:WL-IN-${i + 1} - [0:0]`, `:WL-OUT-${i + 1} - [0:0]`));
  out.push('-A WARDLINE -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN', '-A WARDLINE -m conntrack --ctstate INVALID -j DROP');
  p.devices.forEach((d, i) => {
    const v4 = byFamily(d.ips).v4;
    for (const ip of v4) out.push(`-A WARDLINE -d ${ip}/32 -m comment --comment "${commentText(describe(d), 200)}" -j WL-IN-${i + 1}`, `-A WARDLINE -s ${ip}/32 -j WL-OUT-${i + 1}`);
  });
  p.devices.forEach((d, i) => {
    for (const dir of ['in', 'out'] as const) {
      const chain = `WL-${dir.toUpperCase()}-${i + 1}`;
      for (const r of d.rules.filter((x) => x.direction === dir)) {
        const why = `-m comment --comment "${commentText(ruleWhy(r), 240)}"`;
        const m = `-p ${r.proto} -m ${r.proto} --dport ${r.port}`;
        if (r.anyPeer) out.push(`-A ${chain} ${m} ${why} -j RETURN`);
        for (const peer of byFamily(r.peers).v4) out.push(`-A ${chain} ${dir === 'in' ? '-s' : '-d'} ${peer}/32 ${m} ${why} -j RETURN`);
      }
      out.push(`-A ${chain} -j LOG --log-prefix "wardline ${dir} ${i + 1} deny: "`, `-A ${chain} -j DROP`);
    }
  });
  out.push('-I FORWARD 1 -j WARDLINE', 'COMMIT', '');
  return out.join('\n');
}

// ---- PAN-OS --------------------------------------------------------------------------------

export function renderPanos(p: Policy): string {
  const out = header(p, '#', 'PAN-OS configure-mode set commands', [
    'Paste in configure mode, then commit. The rules are added at the bottom of the rulebase: move them above broader allow rules.',
    ...(helperUses(p).length > 0 ? ["FTP, TFTP and SIP sessions allowed here open their data and media channels through PAN-OS's ALGs (App-ID ftp, tftp, sip): keep those ALGs enabled."] : []),
  ]);
  const addrs = new Set<string>();
  const svcs = new Set<string>();
  const addr = (ip: string): string => {
    const n = `wl-${ip.replace(/:/g, '_')}`;
    if (!addrs.has(n)) {
      addrs.add(n);
      out.push(`set address ${n} ip-netmask ${ip}/${isV4(ip) ? 32 : 128}`);
    }
    return n;
  };
  const svc = (r: PolicyRule): string => {
    const n = `wl-${r.proto}-${r.port}`;
    if (!svcs.has(n)) {
      svcs.add(n);
      out.push(`set service ${n} protocol ${r.proto} port ${r.port}`);
    }
    return n;
  };
  const rules: string[] = [];
  p.devices.forEach((d, i) => {
    const self = d.ips.map(addr);
    const group = `wl-dev-${i + 1}`;
    out.push(`set address-group ${group} static [ ${self.join(' ')} ]`, `set address-group ${group} description "${commentText(describe(d), 250)}"`);
    d.rules.forEach((r, j) => {
      const peers = r.anyPeer ? 'any' : `[ ${r.peers.map(addr).join(' ')} ]`;
      const name = `"wl ${i + 1} ${r.direction} ${j + 1} ${r.proto}-${r.port}"`;
      const [src, dst] = r.direction === 'in' ? [peers, group] : [group, peers];
      rules.push(`set rulebase security rules ${name} from any to any source ${src} destination ${dst} application any service ${svc(r)} action allow description "${commentText(ruleWhy(r), 250)}"`);
    });
    rules.push(`set rulebase security rules "wl ${i + 1} in deny" from any to any source any destination ${group} application any service any action deny log-end yes description "${commentText(`${describe(d)}: anything else to it`, 250)}"`);
    rules.push(`set rulebase security rules "wl ${i + 1} out deny" from any to any source ${group} destination any application any service any action deny log-end yes description "${commentText(`${describe(d)}: anything else from it`, 250)}"`);
  });
  out.push(...rules, '');
  return out.join('\n');
}

// ---- Cisco IOS -----------------------------------------------------------------------------

export function renderCisco(p: Policy): string {
  const out = header(p, '!', 'Cisco IOS extended ACLs', [
    'Apply WL-TO-DEVICES outbound and WL-FROM-DEVICES inbound on the interface of the devices segment',
    '(ip access-group WL-TO-DEVICES out / ip access-group WL-FROM-DEVICES in); IPv6 devices get ipv6 access-lists of the same names.',
    'ACLs keep no state: replies are allowed by their source port (TCP only once established).',
  ], false);
  for (const v6 of [false, true]) {
    const devs = p.devices.filter((d) => d.ips.some((ip) => isV4(ip) !== v6));
    if (devs.length === 0) continue;
    const host = (ip: string): string => `host ${ip}`;
    const kw = v6 ? 'ipv6' : 'ip';
    for (const dir of ['to', 'from'] as const) {
      out.push(v6 ? `ipv6 access-list WL-${dir.toUpperCase()}-DEVICES` : `ip access-list extended WL-${dir.toUpperCase()}-DEVICES`);
      for (const d of devs) {
        const selfs = d.ips.filter((ip) => isV4(ip) !== v6);
        out.push(` remark ${commentText(describe(d), 100)}`);
        for (const r of [...d.rules, ...d.channelRules]) {
          const peers = r.anyPeer ? ['any'] : r.peers.filter((ip) => isV4(ip) !== v6).map(host);
          if (peers.length === 0) continue;
          out.push(` remark ${commentText(ruleWhy(r), 100)}`);
          for (const self of selfs.map(host)) {
            for (const peer of peers) {
              // Traffic toward the device: requests to its services, replies to its own requests.
              if (dir === 'to') out.push(r.direction === 'in' ? ` permit ${r.proto} ${peer} ${self} eq ${r.port}` : ` permit ${r.proto} ${peer} eq ${r.port} ${self}${r.proto === 'tcp' ? ' established' : ''}`);
              else out.push(r.direction === 'out' ? ` permit ${r.proto} ${self} ${peer} eq ${r.port}` : ` permit ${r.proto} ${self} eq ${r.port} ${peer}${r.proto === 'tcp' ? ' established' : ''}`);
            }
          }
        }
        for (const self of selfs.map(host)) out.push(dir === 'to' ? ` deny ${kw} any ${self} log` : ` deny ${kw} ${self} any log`);
      }
      out.push(` permit ${kw} any any`, '!');
    }
  }
  out.push('');
  return out.join('\n');
}

export function renderPolicy(p: Policy, format: PolicyFormat): string {
  switch (format) {
    case 'nftables':
      return renderNftables(p);
    case 'iptables':
      return renderIptables(p);
    case 'panos':
      return renderPanos(p);
    case 'cisco':
      return renderCisco(p);
  }
}

