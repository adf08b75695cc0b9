// Windows version numbers (major.minor.build, as NTLM, SMB and DHCP reveal them) → the
// endoflife.date release cycle of products/windows.md or products/windows-server.md.
// Build numbers are Microsoft's published ones:
//   Operating System Version: https://learn.microsoft.com/windows/win32/sysinfo/operating-system-version
//   Windows 10 release information: https://learn.microsoft.com/windows/release-health/release-information
//   Windows 11 release information: https://learn.microsoft.com/windows/release-health/windows11-release-information
//   Windows Server release information: https://learn.microsoft.com/windows/release-health/windows-server-release-info
// Windows 10/11 cycles differ by edition in endoflife.date: -e (Enterprise/Education), -w
// (Home/Pro), -e-lts (LTSC), -iot-lts (IoT LTSC). A build number does not tell the edition, so
// the mapper answers the Enterprise cycle unless told otherwise and lists the other cycles of
// the same build as alternatives (an LTSC device lives years longer on the same build).

export type WindowsProduct = 'windows' | 'windows-server';
export type WindowsEdition = 'enterprise' | 'consumer' | 'ltsc' | 'iot-ltsc';

export interface WindowsRelease {
  product: WindowsProduct;
  cycle: string;
  /** "Windows 10 22H2", "Windows Server 2019". */
  name: string;
  /** Other cycles the same build may belong to (other editions or servicing channels). */
  alternatives: string[];
  /**
   * The build is not in the table (pre-release or newer than this table) or predates the only
   * service pack endoflife.date lists; the nearest listed cycle is given.
   */
  approximate: boolean;
}

interface Row {
  build: number;
  name: string;
  /** Cycles by edition; `base` when the file has a single cycle for all editions. */
  base?: string;
  e?: string;
  w?: string;
  ltsc?: string;
  iot?: string;
  /** Server: another servicing channel on the same build (Server 2019 and 1809 SAC). */
  channel?: string;
}

const EDITION_FIELD: Record<WindowsEdition, 'e' | 'w' | 'ltsc' | 'iot'> = { enterprise: 'e', consumer: 'w', ltsc: 'ltsc', 'iot-ltsc': 'iot' };

function w10(build: number, version: string, editions: { e?: boolean; w?: boolean; ltsc?: boolean; iot?: boolean; split?: boolean }): Row {
  const major = build >= WIN11_FIRST_BUILD ? '11' : '10';
  const id = `${major}-${version.toLowerCase()}`;
  const row: Row = { build, name: `Windows ${major} ${version}` };
  if (editions.split) {
    row.e = `${id}-e`;
    row.w = `${id}-w`;
  } else {
    row.base = id;
  }
  if (editions.ltsc) row.ltsc = `${id}-e-lts`;
  if (editions.iot) row.iot = id === '10-1507' ? `${id}-iot` : `${id}-iot-lts`;
  return row;
}

/** First Windows 11 build (21H2); 10.0 builds below are Windows 10. */
const WIN11_FIRST_BUILD = 22000;

/** Windows 10 / 11 client builds (version 10.0). */
const CLIENT_10: Row[] = [
  w10(10240, '1507', { ltsc: true, iot: true }),
  w10(10586, '1511', {}),
  w10(14393, '1607', { split: true, ltsc: true }),
  w10(15063, '1703', { split: true }),
  w10(16299, '1709', { split: true }),
  w10(17134, '1803', { split: true }),
  w10(17763, '1809', { split: true, ltsc: true }),
  w10(18362, '1903', {}),
  w10(18363, '1909', { split: true }),
  w10(19041, '2004', {}),
  w10(19042, '20H2', { split: true }),
  w10(19043, '21H1', {}),
  w10(19044, '21H2', { split: true, ltsc: true, iot: true }),
  w10(19045, '22H2', {}),
  w10(22000, '21H2', { split: true }),
  w10(22621, '22H2', { split: true }),
  w10(22631, '23H2', { split: true }),
  w10(26100, '24H2', { split: true, ltsc: true, iot: true }),
  w10(26200, '25H2', { split: true }),
  w10(28000, '26H1', { split: true }),
];

/** Windows Server builds (version 10.0): LTSC releases and the semi-annual / annual channel. */
const SERVER_10: Row[] = [
  { build: 14393, name: 'Windows Server 2016', base: '2016' },
  { build: 16299, name: 'Windows Server 1709 SAC', base: '1709-sac' },
  { build: 17134, name: 'Windows Server 1803 SAC', base: '1803-sac' },
  { build: 17763, name: 'Windows Server 2019', base: '2019', channel: '1809-sac' },
  { build: 18362, name: 'Windows Server 1903 SAC', base: '1903-sac' },
  { build: 18363, name: 'Windows Server 1909 SAC', base: '1909-sac' },
  { build: 19041, name: 'Windows Server 2004 SAC', base: '2004-sac' },
  { build: 19042, name: 'Windows Server 20H2 SAC', base: '20h2-sac' },
  { build: 20348, name: 'Windows Server 2022', base: '2022' },
  { build: 25398, name: 'Windows Server 23H2 AC', base: '23h2-ac' },
  { build: 26100, name: 'Windows Server 2025', base: '2025' },
];

interface Legacy {
  product: WindowsProduct;
  cycle: string;
  name: string;
  /** Builds from this one on carry the service pack the cycle stands for. */
  spBuild?: number;
}

/** NT 5.x / 6.x: one cycle per version; client and server share the version number. */
const LEGACY: Record<string, { client: Legacy; server: Legacy }> = {
  // Windows 2000 Professional and Server share one lifecycle, listed under windows-server.
  '5.0': { client: { product: 'windows-server', cycle: '2000', name: 'Windows 2000' }, server: { product: 'windows-server', cycle: '2000', name: 'Windows 2000 Server' } },
  '5.1': { client: { product: 'windows', cycle: '5-sp3', name: 'Windows XP' }, server: { product: 'windows', cycle: '5-sp3', name: 'Windows XP' } },
  // 5.2 is XP Professional x64 on clients (XP's lifecycle) and Server 2003 on servers.
  '5.2': { client: { product: 'windows', cycle: '5-sp3', name: 'Windows XP x64' }, server: { product: 'windows-server', cycle: '2003-sp2', name: 'Windows Server 2003' } },
  '6.0': { client: { product: 'windows', cycle: '6-sp2', name: 'Windows Vista', spBuild: 6002 }, server: { product: 'windows-server', cycle: '2008-sp2', name: 'Windows Server 2008', spBuild: 6002 } },
  '6.1': { client: { product: 'windows', cycle: '7-sp1', name: 'Windows 7', spBuild: 7601 }, server: { product: 'windows-server', cycle: '2008-r2-sp1', name: 'Windows Server 2008 R2', spBuild: 7601 } },
  '6.2': { client: { product: 'windows', cycle: '8', name: 'Windows 8' }, server: { product: 'windows-server', cycle: '2012', name: 'Windows Server 2012' } },
  '6.3': { client: { product: 'windows', cycle: '8.1', name: 'Windows 8.1' }, server: { product: 'windows-server', cycle: '2012-r2', name: 'Windows Server 2012 R2' } },
};
/** Server 2003 cycles by service pack (all build 3790). */
const SERVER_2003_BY_SP = ['2003', '2003-sp1', '2003-sp2'];

function cyclesOf(r: Row): string[] {
  return [r.base, r.e, r.w, r.ltsc, r.iot, r.channel].filter((c): c is string => c !== undefined);
}

/**
 * The endoflife.date cycle of a Windows version, or null for a version this table does not know.
 * `opts.servicePack` picks among Server 2003's cycles; `opts.edition` among Windows 10/11's.
 */
export function windowsRelease(major: number, minor: number, build: number, server = false, opts: { edition?: WindowsEdition; servicePack?: number } = {}): WindowsRelease | null {
  if (major === 10 && minor === 0) {
    const table = server ? SERVER_10 : CLIENT_10;
    let row: Row | null = null;
    for (const r of table) if (r.build <= build) row = r;
    if (row === null) return null;
    const approximate = row.build !== build;
    const all = cyclesOf(row);
    let cycle: string;
    if (server) cycle = row.base!;
    else {
      const want = row[EDITION_FIELD[opts.edition ?? 'enterprise']];
      cycle = want ?? row.base ?? row.e!;
    }
    return { product: server ? 'windows-server' : 'windows', cycle, name: row.name, alternatives: all.filter((c) => c !== cycle), approximate };
  }
  const legacy = LEGACY[`${major}.${minor}`];
  if (legacy === undefined) return null;
  const l = server ? legacy.server : legacy.client;
  let cycle = l.cycle;
  let alternatives: string[] = [];
  if (server && major === 5 && minor === 2) {
    const sp = opts.servicePack;
    if (sp !== undefined && sp >= 0 && sp < SERVER_2003_BY_SP.length) cycle = SERVER_2003_BY_SP[sp];
    alternatives = SERVER_2003_BY_SP.filter((c) => c !== cycle);
  }
  const approximate = l.spBuild !== undefined && build > 0 && build < l.spBuild;
  return { product: l.product, cycle, name: l.name, alternatives, approximate };
}

/** Every (product, cycle) this table can answer, for consistency checks against the feed. */
export function windowsCycles(): { product: WindowsProduct; cycle: string }[] {
  const out: { product: WindowsProduct; cycle: string }[] = [];
  for (const r of CLIENT_10) for (const c of cyclesOf(r)) out.push({ product: 'windows', cycle: c });
  for (const r of SERVER_10) for (const c of cyclesOf(r)) out.push({ product: 'windows-server', cycle: c });
  for (const { client, server } of Object.values(LEGACY)) out.push({ product: client.product, cycle: client.cycle }, { product: server.product, cycle: server.cycle });
  for (const c of SERVER_2003_BY_SP) out.push({ product: 'windows-server', cycle: c });
  return out;
}
