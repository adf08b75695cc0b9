// Operating-system claims read from one signal each: SMB NativeOS/NativeLanMan (MS-CIFS
// 2.2.4.53.2), HTTP User-Agent product tokens (RFC 9110 §10.1.5 and the platform tokens browsers
// publish), SSH identification strings (RFC 4253 §4.2 softwareversion/comments as distributions
// patch them), SNMP sysDescr / LLDP system description / CDP software version (free text whose
// vendor conventions are matched), NetBIOS browser announcements (MS-BRWS §2.2.1 with the
// SV_TYPE bits of MS-RAP §5.1.1.4), DICOM implementation version names (PS3.7 §D.3.3.2), the
// initial IP TTL, p0f matches and Satori candidates. Pure functions; the confidence of each
// claim is this module's judgment of how much the signal alone is worth (docs/inventory.md).
import type { TcpMatch } from '../knowledge/p0f-tcp.js';
import type { SatoriCandidate } from '../knowledge/satori.js';
import type { OsClaim } from './facts.js';

/** First build of each Windows NT version (Microsoft's published build numbers). */
const NT_BUILDS: readonly [number, number, number][] = [
  [2195, 5, 0],
  [2600, 5, 1],
  [3790, 5, 2],
  [6000, 6, 0],
  [7600, 6, 1],
  [9200, 6, 2],
  [9600, 6, 3],
  [10240, 10, 0],
];

/** NT major.minor of a Windows build number, or null below Windows 2000. */
export function ntVersionOfBuild(build: number): { major: number; minor: number } | null {
  let v: { major: number; minor: number } | null = null;
  for (const [b, major, minor] of NT_BUILDS) if (build >= b) v = { major, minor };
  return v;
}

/**
 * Windows versions older than every cycle the endoflife.date files list (Windows 2000 is the
 * oldest): their support ended decades ago, so they are end-of-life with no date given.
 */
export const PRE_2000_WINDOWS: Record<string, string> = {
  '3.51': 'Windows NT 3.51',
  '4.0': 'Windows NT 4.0',
  '4.10': 'Windows 98',
  '4.90': 'Windows Me',
};

function win(major: number, minor: number, build: number, confidence: number, extra: { server?: boolean; servicePack?: number; name?: string } = {}): OsClaim {
  const w: NonNullable<OsClaim['windows']> = { major, minor, build };
  if (extra.server !== undefined) w.server = extra.server;
  if (extra.servicePack !== undefined) w.servicePack = extra.servicePack;
  const version = build > 0 ? `${major}.${minor}.${build}` : `${major}.${minor}`;
  return { name: extra.name ?? PRE_2000_WINDOWS[`${major}.${minor}`] ?? `Windows ${version}`, version, family: 'Windows', confidence, windows: w };
}

/** Confidence of an NTLM VERSION structure: exact, but see ntlmClaim for the shared 6.1.7600. */
export const CONF_NTLM = 0.95;
/**
 * Samba and the macOS SMB client fill NTLMSSP VERSION with Windows 7 RTM's 6.1.7600 (Samba's
 * ntlmssp.c, Apple smbfs), so that value alone is weaker evidence than any other build.
 */
export const CONF_NTLM_61_7600 = 0.5;
export const CONF_SMB_NATIVE = 0.85;
export const CONF_SYSDESCR = 0.8;
export const CONF_USER_AGENT = 0.5;
export const CONF_SSH = 0.55;
export const CONF_BROWSER = 0.4;
export const CONF_DICOM = 0.25;
export const CONF_TTL_WINDOWS = 0.2;
export const CONF_TTL_UNIX = 0.15;
export const CONF_P0F = 0.6;
export const CONF_P0F_GENERIC = 0.45;
export const CONF_P0F_FUZZY = 0.3;

/** NTLM VERSION (MS-NLMP 2.2.2.10): ProductMajor.ProductMinor.ProductBuild. */
export function ntlmClaim(major: number, minor: number, build: number): OsClaim | null {
  if (major === 0 || !Number.isInteger(major) || !Number.isInteger(minor) || !Number.isInteger(build)) return null;
  // Every Windows release fills in its build number (2600, 7601, 17763 …); build 0 is what Samba
  // and the SMB stacks built on it (Linux smbclient, NAS firmware such as QNAP QTS) put after the
  // "6.1" they send for compatibility. Taking it for Windows 7 called a Samba AD DC and a NAS
  // end-of-life Windows; it names no Windows release.
  if (build === 0) return null;
  return win(major, minor, build, major === 6 && minor === 1 && build === 7600 ? CONF_NTLM_61_7600 : CONF_NTLM);
}

/** SMB1 NativeOS ("Windows 5.1", "Windows Server 2003 3790 Service Pack 2", "Unix") and NativeLanMan ("Samba 3.6.3"). */
export function smbNativeClaim(os: string | undefined, lanman: string | undefined): OsClaim | null {
  const o = (os ?? '').trim();
  const l = (lanman ?? '').trim();
  const samba = /\bSamba\b/i.exec(l) ?? /\bSamba\b/i.exec(o);
  if (samba !== null) {
    // Samba reports a Windows-like NativeOS ("Windows 6.1") for compatibility; the LanMan says what it is.
    return { name: 'Unix (Samba)', version: null, family: 'Unix', confidence: CONF_SMB_NATIVE - 0.2 };
  }
  const mac = /Mac OS X (\d+)\.(\d+)/i.exec(o);
  if (mac !== null) return macos(Number(mac[1]), Number(mac[2]), CONF_SMB_NATIVE);
  if (/^Unix$/i.test(o)) return { name: 'Unix', version: null, family: 'Unix', confidence: 0.5 };
  if (!/Windows/i.test(o)) return null;
  const server = /Server/i.test(o);
  const spm = /Service Pack (\d+)/i.exec(o);
  const sp = spm !== null ? Number(spm[1]) : undefined;
  const rest = o.replace(/Service Pack \d+/i, '');
  const numeric = /Windows (?:NT )?(\d+)\.(\d+)\b/i.exec(rest);
  const buildM = /\b(\d{4,5})\b/.exec(rest.replace(/Windows (?:Server )?(?:2000|2002|2003|2008|2012|2016|2019|2022|2025)\b/i, ''));
  const build = buildM !== null ? Number(buildM[1]) : 0;
  if (numeric !== null && !/Windows \d{4}/i.test(rest)) {
    return win(Number(numeric[1]), Number(numeric[2]), build, CONF_SMB_NATIVE, { server, servicePack: sp });
  }
  if (build > 0) {
    // Pre-release builds ("Longhorn" 5231 is NT 6.0) fall outside the release table; the LanMan
    // string of those systems ends with the NT version.
    // Windows 10 / Server 2016 and later (builds from 10240) still end their LanMan with the
    // "6.3" of Windows 8.1 for compatibility ("Windows Server 2016 Standard 6.3"): the build decides.
    const lm = build < 10240 ? /\b([56])\.(\d)$/.exec(l) : null;
    const v = lm !== null ? { major: Number(lm[1]), minor: Number(lm[2]) } : ntVersionOfBuild(build);
    if (v !== null) return win(v.major, v.minor, build, CONF_SMB_NATIVE, { server, servicePack: sp });
  }
  const named = windowsByName(o);
  if (named !== null) return win(named.major, named.minor, 0, CONF_SMB_NATIVE - 0.1, { server: server || named.server, servicePack: sp });
  return { name: 'Windows', version: null, family: 'Windows', confidence: 0.5 };
}

/** Windows product names without numbers ("Windows XP", "Windows Server 2008 R2", "Windows 10"). */
export function windowsByName(s: string): { major: number; minor: number; server: boolean } | null {
  const t = s.toLowerCase();
  const table: [RegExp, number, number, boolean][] = [
    [/server 2025|server 2022|server 2019|server 2016/, 10, 0, true],
    [/server 2012 r2/, 6, 3, true],
    [/server 2012/, 6, 2, true],
    [/server 2008 r2/, 6, 1, true],
    [/server 2008/, 6, 0, true],
    [/server 2003/, 5, 2, true],
    [/windows 2000/, 5, 0, false],
    [/windows 2002|windows xp/, 5, 1, false],
    [/windows vista/, 6, 0, false],
    [/windows 7\b/, 6, 1, false],
    [/windows 8\.1/, 6, 3, false],
    [/windows 8\b/, 6, 2, false],
    [/windows 1[01]\b/, 10, 0, false],
    [/windows 98/, 4, 10, false],
    [/windows me\b/, 4, 90, false],
    [/windows nt 4/, 4, 0, false],
  ];
  for (const [re, major, minor, server] of table) if (re.test(t)) return { major, minor, server };
  return null;
}

function macos(major: number, minor: number, confidence: number): OsClaim {
  const cycle = major === 10 ? `10.${minor}` : String(major);
  return { name: major === 10 ? `Mac OS X ${major}.${minor}` : `macOS ${major}`, version: `${major}.${minor}`, family: 'macOS', confidence, eol: { product: 'macos', cycle } };
}

/** Platform tokens of an HTTP User-Agent. */
export function userAgentClaim(ua: string): OsClaim | null {
  let m = /Windows NT (\d+)\.(\d+)/.exec(ua);
  if (m !== null) {
    const major = Number(m[1]);
    const minor = Number(m[2]);
    // Browsers froze the token at 10.0 for Windows 11 too.
    if (major === 10) return { name: 'Windows 10 or 11', version: '10.0', family: 'Windows', confidence: CONF_USER_AGENT, windows: { major, minor, build: 0 } };
    return win(major, minor, 0, CONF_USER_AGENT);
  }
  if (/Windows 98|Win98/.test(ua)) return win(4, 10, 0, CONF_USER_AGENT);
  if (/Windows XP/.test(ua)) return win(5, 1, 0, CONF_USER_AGENT);
  if (/Windows CE/.test(ua)) return { name: 'Windows CE', version: null, family: 'Windows', confidence: CONF_USER_AGENT };
  m = /(?:iPhone|CPU) OS (\d+)_(\d+)/.exec(ua);
  if (m !== null) return { name: `iOS ${m[1]}`, version: `${m[1]}.${m[2]}`, family: 'iOS', confidence: CONF_USER_AGENT, eol: { product: 'ios', cycle: m[1] } };
  m = /Mac OS X (\d+)[._](\d+)/.exec(ua);
  if (m !== null) return macos(Number(m[1]), Number(m[2]), CONF_USER_AGENT);
  m = /Android (\d+)(?:\.(\d+))?/.exec(ua);
  if (m !== null) {
    const v = m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1];
    return { name: `Android ${v}`, version: v, family: 'Android', confidence: CONF_USER_AGENT, eol: { product: 'android', cycle: v } };
  }
  if (/\bCrOS\b/.test(ua)) return { name: 'ChromeOS', version: null, family: 'ChromeOS', confidence: CONF_USER_AGENT };
  if (/FreeBSD/.test(ua)) return { name: 'FreeBSD', version: null, family: 'BSD', confidence: CONF_USER_AGENT - 0.1 };
  if (/Ubuntu/.test(ua)) return { name: 'Ubuntu', version: null, family: 'Linux', confidence: CONF_USER_AGENT - 0.1 };
  if (/\bLinux\b/.test(ua)) return { name: 'Linux', version: null, family: 'Linux', confidence: CONF_USER_AGENT - 0.2 };
  return null;
}

/** SSH identification string, e.g. "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7". */
export function sshClaim(ident: string): OsClaim | null {
  let m = /Debian-\S*?deb(\d+)u\d+/.exec(ident);
  if (m !== null) return { name: `Debian ${m[1]}`, version: m[1], family: 'Linux', confidence: CONF_SSH, eol: { product: 'debian', cycle: m[1] } };
  if (/Debian/.test(ident)) return { name: 'Debian', version: null, family: 'Linux', confidence: CONF_SSH - 0.1 };
  if (/Raspbian/.test(ident)) return { name: 'Raspbian', version: null, family: 'Linux', confidence: CONF_SSH - 0.1 };
  if (/Ubuntu/.test(ident)) return { name: 'Ubuntu', version: null, family: 'Linux', confidence: CONF_SSH - 0.1 };
  if (/FreeBSD/.test(ident)) return { name: 'FreeBSD', version: null, family: 'BSD', confidence: CONF_SSH - 0.1 };
  if (/OpenSSH_for_Windows/.test(ident)) return { name: 'Windows', version: null, family: 'Windows', confidence: CONF_SSH - 0.1 };
  if (/^SSH-[\d.]+-Cisco/.test(ident)) return { name: 'Cisco IOS', version: null, family: 'Cisco IOS', confidence: CONF_SSH };
  if (/ROSSSH/.test(ident)) return { name: 'RouterOS', version: null, family: 'RouterOS', confidence: CONF_SSH };
  if (/dropbear/i.test(ident)) return { name: 'Linux (embedded)', version: null, family: 'Linux', confidence: 0.3 };
  return null;
}

/** SNMP sysDescr, LLDP system description or CDP software version text. */
export function systemDescriptionClaim(text: string): OsClaim | null {
  let m = /Software:\s*Windows(?: Version)?\s+(\d+)\.(\d+)\s*\(Build (\d+)/i.exec(text);
  if (m !== null) return win(Number(m[1]), Number(m[2]), Number(m[3]), CONF_SYSDESCR);
  if (/Cisco/i.test(text)) {
    const v = /Version\s+([\w.()-]+)/i.exec(text);
    const xe = /IOS[- ]XE/i.test(text);
    const nx = /NX-OS/i.test(text);
    const name = nx ? 'Cisco NX-OS' : xe ? 'Cisco IOS XE' : /IOS/i.test(text) ? 'Cisco IOS' : null;
    if (name !== null) return { name, version: v?.[1] ?? null, family: nx ? 'Cisco NX-OS' : 'Cisco IOS', confidence: CONF_SYSDESCR };
  }
  m = /^Linux\s+\S+\s+(\d+\.\d+[\w.+-]*)/.exec(text);
  if (m !== null) return { name: 'Linux', version: m[1], family: 'Linux', confidence: CONF_SYSDESCR - 0.1 };
  if (/^Linux\b/.test(text)) return { name: 'Linux', version: null, family: 'Linux', confidence: CONF_SYSDESCR - 0.2 };
  m = /JUNOS ([\w.-]+)/.exec(text);
  if (m !== null) return { name: 'Junos', version: m[1], family: 'Junos', confidence: CONF_SYSDESCR };
  m = /FreeBSD \S*\s*(\d+\.\d+)/.exec(text);
  if (m !== null) return { name: 'FreeBSD', version: m[1], family: 'BSD', confidence: CONF_SYSDESCR - 0.1 };
  if (/^Darwin\b/.test(text)) return { name: 'macOS', version: null, family: 'macOS', confidence: CONF_SYSDESCR - 0.2 };
  if (/^SunOS\b/.test(text)) return { name: 'Solaris', version: null, family: 'Solaris', confidence: CONF_SYSDESCR - 0.1 };
  if (/VxWorks/i.test(text)) return { name: 'VxWorks', version: null, family: 'VxWorks', confidence: CONF_SYSDESCR - 0.2 };
  if (/RouterOS/i.test(text)) return { name: 'RouterOS', version: null, family: 'RouterOS', confidence: CONF_SYSDESCR - 0.1 };
  return null;
}

/**
 * A Zabbix agent's system.uname (Zabbix manual, "Zabbix agent items"): `uname -a` on Unix ("Linux
 * host 5.10.0-20-amd64 #1 SMP Debian … x86_64", read as a sysDescr is), and on Windows "Windows
 * <host> <major>.<minor>.<build> <product> <service pack> <architecture>"; and Redis's INFO `os`.
 */
export function unameClaim(text: string): OsClaim | null {
  const m = /^Windows\s+\S+\s+(\d+)\.(\d+)\.(\d+)\b(.*)$/.exec(text);
  if (m !== null) return win(Number(m[1]), Number(m[2]), Number(m[3]), CONF_SYSDESCR, { server: /\bServer\b/i.test(m[4]) });
  // `uname -s -r -m` without the host name ("Linux 6.1.0-18-amd64 x86_64", Redis's INFO `os`):
  // the release is the version.
  const l = /^Linux\s+(\d+\.\d+[\w.+~-]*)(?:\s+\S+)?$/.exec(text.trim());
  if (l !== null) return { name: 'Linux', version: l[1], family: 'Linux', confidence: CONF_SYSDESCR - 0.1 };
  return systemDescriptionClaim(text);
}

/** A Checkmk agent's "AgentOS:" line: the family of the agent build, nothing of its version. */
export const CONF_AGENT_OS = 0.3;
const AGENT_OS: ReadonlyMap<string, [string, string]> = new Map<string, [string, string]>([
  ['linux', ['Linux', 'Linux']],
  ['windows', ['Windows', 'Windows']],
  ['aix', ['AIX', 'AIX']],
  ['solaris', ['Solaris', 'Solaris']],
  ['freebsd', ['FreeBSD', 'BSD']],
  ['openbsd', ['OpenBSD', 'BSD']],
  ['netbsd', ['NetBSD', 'BSD']],
  ['macosx', ['macOS', 'macOS']],
  ['macos', ['macOS', 'macOS']],
  ['hpux', ['HP-UX', 'HP-UX']],
  ['openwrt', ['OpenWrt', 'Linux']],
]);

export function agentOsClaim(text: string): OsClaim | null {
  const k = text.trim().toLowerCase();
  const v = AGENT_OS.get(k);
  return v === undefined ? null : { name: v[0], version: null, family: v[1], confidence: CONF_AGENT_OS };
}

/**
 * An iSCSI initiator name's naming authority, as each initiator generates it by default
 * (iqn.<date>.<reversed domain>:…): the software that made it, and so the OS. An administrator
 * can set any name, so the claim is a moderate one.
 */
export const CONF_ISCSI_INITIATOR = 0.45;
const ISCSI_AUTHORITIES: readonly [RegExp, string, string][] = [
  [/^iqn\.1991-05\.com\.microsoft:/i, 'Windows', 'Windows'],
  [/^iqn\.1998-01\.com\.vmware:/i, 'VMware ESXi', 'VMware ESXi'],
  [/^iqn\.1993-08\.org\.debian:/i, 'Linux (Debian or Ubuntu open-iscsi)', 'Linux'],
  [/^iqn\.2004-10\.com\.ubuntu:/i, 'Linux (Ubuntu)', 'Linux'],
  [/^iqn\.1994-05\.com\.redhat:/i, 'Linux (Red Hat)', 'Linux'],
  [/^iqn\.1996-04\.de\.suse:/i, 'Linux (SUSE)', 'Linux'],
];

export function iscsiInitiatorClaim(name: string): OsClaim | null {
  for (const [re, os, family] of ISCSI_AUTHORITIES) if (re.test(name)) return { name: os, version: null, family, confidence: CONF_ISCSI_INITIATOR };
  return null;
}

/** MS-RAP SV_TYPE bits used here. */
const SV_TYPE_DOMAIN_CTRL = 0x8;
const SV_TYPE_DOMAIN_BAKCTRL = 0x10;
const SV_TYPE_SERVER_UNIX = 0x800;
const SV_TYPE_NT = 0x1000;
const SV_TYPE_SERVER_NT = 0x8000;
const SV_TYPE_WINDOWS = 0x400000;

/** A NetBIOS browser host announcement's OS version and server type. */
export function browserClaim(major: number, minor: number, serverType: number): OsClaim | null {
  if (serverType & SV_TYPE_SERVER_UNIX) return { name: 'Unix (Samba)', version: null, family: 'Unix', confidence: CONF_BROWSER - 0.05 };
  if (major === 4 && (serverType & SV_TYPE_WINDOWS) !== 0 && (serverType & SV_TYPE_NT) === 0) {
    const name = minor === 90 ? 'Windows Me' : minor === 10 ? 'Windows 98' : 'Windows 95';
    return { name, version: `4.${minor}`, family: 'Windows', confidence: CONF_BROWSER, windows: { major: 4, minor, build: 0 } };
  }
  if ((serverType & SV_TYPE_NT) === 0 || major < 3) return null;
  const server = (serverType & (SV_TYPE_SERVER_NT | SV_TYPE_DOMAIN_CTRL | SV_TYPE_DOMAIN_BAKCTRL)) !== 0;
  return win(major, minor, 0, CONF_BROWSER, { server });
}

/** Whether a browser announcement's server type says domain controller. */
export function browserIsDomainController(serverType: number): boolean {
  return (serverType & (SV_TYPE_DOMAIN_CTRL | SV_TYPE_DOMAIN_BAKCTRL)) !== 0;
}

/** A DICOM implementation version name that names its platform ("…WIN32…", "…WINNT…"). */
export function dicomClaim(version: string): OsClaim | null {
  if (/WIN(?:32|64|NT|DOWS)/i.test(version)) return { name: 'Windows', version: null, family: 'Windows', confidence: CONF_DICOM };
  if (/LINUX/i.test(version)) return { name: 'Linux', version: null, family: 'Linux', confidence: CONF_DICOM };
  return null;
}

/**
 * The OS a DHCP client names in its vendor class identifier (option 60, RFC 2132 §9.13): Android's
 * client sends "android-dhcp-<release>", dhcpcd "dhcpcd-<version>:<OS>-<kernel>:<arch>[:<hardware>]",
 * BusyBox's udhcpc "udhcp <version>" (embedded Linux), Windows "MSFT 5.0" (2000 and later) or
 * "MSFT 98". Confidences stay modest: Satori's DHCP fingerprints read option 60 too.
 */
export function vendorClassClaim(vc: string): OsClaim | null {
  let m = /^android-dhcp-(\d+)(?:\.\d+)*$/i.exec(vc);
  if (m !== null) return { name: `Android ${m[1]}`, version: m[1], family: 'Android', confidence: 0.5 };
  m = /^dhcpcd-[\d.]+:Linux-(\d+\.\d+)[^:]*:/.exec(vc);
  if (m !== null) return { name: `Linux ${m[1]}`, version: m[1], family: 'Linux', confidence: 0.45 };
  if (/^udhcp \d/.test(vc)) return { name: 'Linux (BusyBox)', version: null, family: 'Linux', confidence: 0.3 };
  if (vc === 'MSFT 98') return win(4, 10, 0, 0.5);
  if (vc === 'MSFT 5.0') return { name: 'Windows', version: null, family: 'Windows', confidence: 0.35 };
  return null;
}

/** Confidence of an OS's own default host name (android-<ANDROID_ID>, DESKTOP-XXXXXXX). */
export const CONF_DEFAULT_HOSTNAME = 0.4;
/** Confidence of a host name naming the hardware (Owner's-iPhone, Lucas-iMac): renamed, or Boot Camp. */
export const CONF_HARDWARE_HOSTNAME = 0.3;

/**
 * The OS a device's own host name implies (its first label, as DHCP option 12, NetBIOS or mDNS
 * gave it). Only names an OS or a vendor generates are read: Android's "android-" + the 16 hex
 * digits of ANDROID_ID (before Android 8), Windows 10/11 setup's "DESKTOP-"/"LAPTOP-" + random
 * letters and digits (one digit at least: NetBIOS names are upper case, and DESKTOP-SUPPORT is a word),
 * Windows Server's "WIN-" + 11; and the names Apple devices take from their
 * owner and model ("Lucas-iPhone", "Gabrieles-iPad", "Lucas-iMac", "MBPro").
 */
export function hostnameClaim(label: string): OsClaim | null {
  if (/^android-[0-9a-f]{16}$/i.test(label)) return { name: 'Android', version: null, family: 'Android', confidence: CONF_DEFAULT_HOSTNAME };
  if (/^(?:DESKTOP|LAPTOP)-(?=[A-Z]*\d)[A-Z0-9]{7,8}$/.test(label)) return { name: 'Windows 10 or 11', version: null, family: 'Windows', confidence: CONF_DEFAULT_HOSTNAME, windows: { major: 10, minor: 0, build: 0 } };
  if (/^WIN-(?=[A-Z]*\d)[A-Z0-9]{11}$/.test(label)) return { name: 'Windows Server', version: null, family: 'Windows', confidence: CONF_DEFAULT_HOSTNAME };
  if (/iphone/i.test(label)) return { name: 'iOS', version: null, family: 'iOS', confidence: CONF_HARDWARE_HOSTNAME };
  if (/ipad/i.test(label)) return { name: 'iPadOS', version: null, family: 'iOS', confidence: CONF_HARDWARE_HOSTNAME };
  if (APPLE_MAC_NAME.test(label)) return { name: 'macOS', version: null, family: 'macOS', confidence: CONF_HARDWARE_HOSTNAME };
  return null;
}

/**
 * Mac model names in host names: MacBook (Air/Pro) and Mac mini anywhere ("NicksMacBook"); iMac,
 * Mac Pro and the MBP/MBA/MBPro/MBAir abbreviations as words of their own ("primacy" is not one).
 */
export const APPLE_MAC_NAME = /macbook|mac-?mini|(?:^|[-_' .])(?:imac|mac-?pro|mb-?pro|mb-?air|mbp|mba)(?:$|[-_' .\d])/i;

/** Families whose stacks start at TTL 64 (Linux, BSD and Apple kernels). */
const TTL64_FAMILIES = ['Linux', 'macOS', 'iOS', 'Android', 'BSD', 'Unix', 'ChromeOS', 'VxWorks'] as const;

/** The initial TTL family of an observed TTL: 128 → Windows; 64 → Unix-like; others say too little. */
export function ttlClaim(ttl: number): OsClaim | null {
  if (ttl > 64 && ttl <= 128) return { name: 'Windows', version: null, family: 'Windows', confidence: CONF_TTL_WINDOWS, supports: ['Windows'] };
  if (ttl > 32 && ttl <= 64) return { name: 'Linux/Unix', version: null, family: 'Unix', confidence: CONF_TTL_UNIX, supports: TTL64_FAMILIES };
  return null;
}

/** Family names used by Satori's os_class and p0f's label names, made one vocabulary. */
export function normaliseFamily(s: string): string {
  const t = s.trim();
  // "Mac OS X" (Satori, user agents), "MacOS X" (p0f's labels), "macOS": one family.
  if (/^Mac ?OS( ?X)?$/i.test(t)) return 'macOS';
  if (/^(Free|Open|Net)BSD$/i.test(t)) return 'BSD';
  if (/^iOS$/i.test(t)) return 'iOS';
  if (/^Windows$/i.test(t)) return 'Windows';
  if (/^Linux$/i.test(t)) return 'Linux';
  if (/^Android$/i.test(t)) return 'Android';
  return t;
}

/** A p0f TCP SYN / SYN+ACK match (application signatures such as NMap are not an OS). */
export function p0fClaim(m: TcpMatch): OsClaim | null {
  if (m.app || m.label.class === '!') return null;
  // Matched on everything but a TTL its stack cannot have sent: the TTL is the sturdier signal
  // (a Tomcat server answering with TTL 64 was "Windows XP" by a fuzzy SYN+ACK match).
  if (m.fuzzy && m.ttlMismatch) return null;
  const confidence = m.fuzzy ? CONF_P0F_FUZZY : m.generic ? CONF_P0F_GENERIC : CONF_P0F;
  const family = normaliseFamily(m.label.name);
  return { name: m.os, version: null, family, confidence };
}

/**
 * Satori's best candidates: one OS when the top-scoring fingerprints agree on it, only the
 * family when they disagree (e.g. Windows 7 / Vista / Server 2008 tie on one DHCP fingerprint).
 */
/**
 * An os_name without an os_class is an OS only if it reads like one: Satori's web.xml files the
 * servers themselves there ("Apache" for Apache-Coyote, "CommVault"), ssl.xml "False Positive".
 */
const SATORI_OS_NAME = /\b(?:[A-Za-z]*OS|Linux|Windows|BSD|Android|Mac|Unix|Solaris|AIX|HP-UX|VxWorks|QNX|Tizen)\b/i;

export function satoriClaim(cands: readonly SatoriCandidate[], base: number): OsClaim | null {
  if (cands.length === 0) return null;
  const top = cands[0].score;
  const best = cands.filter((c) => c.score === top && c.fingerprint.os.name !== '' && (c.fingerprint.os.class !== '' || SATORI_OS_NAME.test(c.fingerprint.os.name)));
  if (best.length === 0) return null;
  const names = [...new Set(best.map((c) => c.fingerprint.os.name))].sort();
  const families = [...new Set(best.map((c) => normaliseFamily(c.fingerprint.os.class || c.fingerprint.os.name)))].sort();
  const confidence = Math.round(Math.min(0.7, base + top / 50) * 100) / 100;
  if (names.length === 1) {
    const name = names[0];
    const claim: OsClaim = { name, version: null, family: families[0], confidence };
    const w = windowsByName(name);
    if (w !== null && families[0] === 'Windows') claim.windows = { major: w.major, minor: w.minor, build: 0, server: w.server };
    return claim;
  }
  if (families.length === 1) return { name: families[0], version: null, family: families[0], confidence: Math.round(confidence * 0.8 * 100) / 100 };
  return null;
}
