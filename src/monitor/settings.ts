// The detectors' settings file (`--config FILE` of analyze and monitor): a JSON object holding
// any of MonitorConfig's keys (docs/monitor.md lists them with their defaults and reasons).
// Validated with zod before anything runs, so a typo or a bad range stops the command with the
// key's path named, instead of a detector silently running on its default.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MonitorConfig } from './config.js';
import { NetSet, addrWords } from './net.js';

export class SettingsError extends Error {}

const count = z.number().int().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().min(0).max(1);
const cidr = z.string().refine((s) => {
  try {
    new NetSet([s]);
    return true;
  } catch {
    return false;
  }
}, 'not an IPv4 or IPv6 address or CIDR range');
const address = z.string().refine((s) => addrWords(s) !== null, 'not an IPv4 or IPv6 address');
const mac = z
  .string()
  .regex(/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i, 'not a MAC address (aa:bb:cc:dd:ee:ff)')
  .transform((s) => s.toLowerCase().replace(/-/g, ':'));

/** One entry per MonitorConfig key; a key missing here cannot be set from a file (a test checks). */
const SHAPE = {
  learningDays: nonNegative,
  quietGapSecs: nonNegative,
  maxEvidence: count,
  portScanThreshold: count,
  addrScanThreshold: count,
  scanIntervalSecs: nonNegative,
  protoScanThreshold: count,
  arpScanThreshold: count,
  webNotFoundThreshold: count,
  mqttConnectFlood: count,
  mqttPublishFlood: count,
  ransomwareFiles: count,
  ransomwareWindowSecs: count,
  backupDeleteFiles: count,
  floodPackets: count,
  floodPps: nonNegative,
  floodWindowSecs: nonNegative,
  arpScanWindowSecs: nonNegative,
  bruteThreshold: count,
  bruteThresholds: z.record(z.string(), count),
  bruteWindowSecs: nonNegative,
  snmpCommunityThreshold: count,
  rdpShortSecs: nonNegative,
  rdpShortRespBytes: nonNegative,
  fanoutThreshold: count,
  kerberoastServices: count,
  kerberoastWindowSecs: nonNegative,
  asrepRoastAccounts: count,
  krbEnumAccounts: count,
  fanoutWindowSecs: nonNegative,
  pendingTtlSecs: nonNegative,
  domainProofWaitSecs: nonNegative,
  baselineScope: z.enum(['medical_iot', 'all']),
  spikeFactor: nonNegative,
  spikeFloorBytes: nonNegative,
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  arpFlipWindowSecs: nonNegative,
  dhcpServers: z.array(address),
  dhcpStarvationClients: count,
  dhcpStarvationDiscovers: count,
  dhcpStarvationWindowSecs: nonNegative,
  ipv6Routers: z.array(z.union([address, mac])),
  ipv4Routers: z.array(z.union([address, mac])),
  stpRootBridges: z.array(mac),
  voiceVlans: z.array(z.number().int().min(1).max(4094)),
  dicomBulkQueryMatches: count,
  snmpManagers: z.array(cidr),
  portMappingAllow: z.array(cidr),
  ldapClients: z.array(cidr),
  beaconAllow: z.array(z.string().min(1)),
  beaconMinConns: z.number().int().min(3),
  beaconMinIntervalSecs: nonNegative,
  beaconJitter: share,
  dgaDomains: count,
  exfilAllow: z.array(z.string().min(1)),
  exfilBytes: count,
  exfilWindowSecs: nonNegative,
  ldapDumpEntries: count,
  ldapDumpWindowSecs: nonNegative,
  icsMasters: z.array(cidr),
  dnsSecondaries: z.array(cidr),
  stpFloodBridges: count,
  stpFloodTcns: count,
  stpFloodWindowSecs: nonNegative,
  neighborFloodSenders: count,
  macFloodSources: count,
  macFloodWindowSecs: nonNegative,
  macFloodLocalSources: count,
  macFloodLocalShare: share,
  spoofFloodSources: count,
  spoofFloodWindowSecs: nonNegative,
  neighborFloodWindowSecs: nonNegative,
  raFloodRouters: count,
  raFloodWindowSecs: nonNegative,
  dnsTunnelQueries: count,
  dnsTunnelWindowSecs: nonNegative,
  dnsTunnelMinChars: count,
  dnsTunnelAllow: z.array(z.string().min(1).max(253)),
  poisonNames: count,
  poisonWindowSecs: nonNegative,
  deauthThreshold: count,
  deauthWindowSecs: nonNegative,
  wifiAccessPoints: z.array(mac),
  postureAlerts: z.boolean(),
  internalNets: z.array(cidr),
  scanAllow: z.array(cidr),
  remoteExecAllow: z.array(cidr),
  backupAllow: z.array(cidr),
  printerAdminAllow: z.array(cidr),
  redisAdminAllow: z.array(cidr),
  maxSources: count,
  maxScanProbes: count,
  maxDevices: count,
  maxPeersPerDevice: count,
  maxServicesPerDevice: count,
  maxOpenAlerts: count,
  maxKeptAlerts: count,
  maxArpEntries: count,
  maxPending: count,
} satisfies Record<keyof MonitorConfig, z.ZodTypeAny>;

const SCHEMA = z.object(SHAPE).partial().strict();

/** The keys a settings file may hold. */
export const SETTINGS_KEYS: readonly string[] = Object.keys(SHAPE);

/** Validates a parsed settings object; throws SettingsError naming every bad key. */
export function parseSettings(value: unknown, source = 'settings'): Partial<MonitorConfig> {
  const r = SCHEMA.safeParse(value);
  if (r.success) return r.data as Partial<MonitorConfig>;
  const problems = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (known: docs/monitor.md)`;
    const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? p : `.${p}`)).join('');
    return `${path === '' ? 'the file' : path}: ${i.message}`;
  });
  throw new SettingsError(`${source}: ${problems.join('; ')}`);
}

/** Reads and validates a settings file (JSON). */
export function loadSettings(path: string): Partial<MonitorConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SettingsError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SettingsError(`${path}: not JSON (${(e as Error).message})`);
  }
  return parseSettings(value, path);
}
