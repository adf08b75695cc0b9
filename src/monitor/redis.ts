// Attacks on Redis through its own administration commands, the shapes public exploits and the
// cryptomining worms that scan for open Redis use (redis.log's `admin` commands, redis.admin
// events):
//  - CONFIG SET dir / dbfilename, then SAVE: the dump written where a cron job, an SSH
//    authorized_keys or a web shell takes effect (the dump holds a key set to the payload);
//  - SLAVEOF / REPLICAOF <host> <port>: a rogue master that sends the server a module to load
//    (the "Redis rogue server" RCE of Redis 4 and 5);
//  - MODULE LOAD: native code run inside the server;
//  - EVAL / SCRIPT LOAD / FUNCTION LOAD of Lua that reaches for package.loadlib, io.popen or
//    os.execute: CVE-2022-0543 (Debian and Ubuntu builds exposed Lua's package library; CISA KEV).
// Applications do none of these; Sentinel does send REPLICAOF and CONFIG, and administrators may:
// `redisAdminAllow` lists them. Refused attempts alert too (the attacker is there either way),
// saying so. One alert per (source, server) episode; the source is the device, the server its peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { RedisAdmin } from '../analyzers/redis/events.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';

const DIR_KINDS: Record<string, string> = {
  cron: 'a cron directory',
  ssh: 'an .ssh directory',
  web: 'a web root',
  other: 'another directory',
};

/** The attack an administration command is part of, in words, or null for none of the shapes above. */
export function redisAbuse(ev: RedisAdmin): string | null {
  let what: string | null = null;
  const params = ev.params ?? [];
  if (ev.command === 'CONFIG' && ev.subcommand === 'SET' && (params.includes('dir') || params.includes('dbfilename'))) {
    const names = params.filter((p) => p === 'dir' || p === 'dbfilename').join(' and ');
    what = `CONFIG SET ${names}${ev.dir_kind !== undefined ? ` (to ${DIR_KINDS[ev.dir_kind] ?? DIR_KINDS.other})` : ''}: the dump moved to write a file`;
  } else if (ev.writes_file === true) {
    what = `${ev.command} after the dump was moved: the file written`;
  } else if ((ev.command === 'SLAVEOF' || ev.command === 'REPLICAOF') && ev.master_host !== undefined) {
    what = `${ev.command} ${ev.master_host}${ev.master_port !== undefined ? `:${ev.master_port}` : ''}: a master of the attacker's choosing (rogue-master module load)`;
  } else if (ev.command === 'MODULE' && (ev.subcommand === 'LOAD' || ev.subcommand === 'LOADEX')) {
    what = `MODULE ${ev.subcommand}: native code loaded into the server`;
  } else if (ev.lua_escape === true) {
    what = `${ev.command}${ev.subcommand !== undefined ? ` ${ev.subcommand}` : ''} of Lua reaching out of its sandbox (package.loadlib, io.popen or os.execute: CVE-2022-0543)`;
  }
  if (what === null) return null;
  return ev.success === false ? `${what} — refused${ev.error !== undefined ? ` (${ev.error})` : ''}` : ev.success === true ? `${what} — accepted` : what;
}

/** Distinct steps named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

export class RedisAttackDetector {
  private readonly allow: NetSet;
  /** `src|server` → what its open episode did, for the wording. */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.redisAdminAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'redis.admin') return;
    const what = redisAbuse(ev as RedisAdmin);
    if (what === null || this.allow.has(c.o0, c.o1, c.o2, c.o3)) return;
    const src = origAddr(c);
    const dst = respAddr(c);
    const key = `${src}|${dst}`;
    const items = episodeEntry(this.ctx.book.get('redis-attack', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    if (!items.includes(what) && items.length < MAX_EPISODE_ITEMS) items.push(what);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const e = eventEvidence('redis-command', what, 'redis.admin', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'redis-attack',
      key,
      device: this.ctx.deviceId(src, mac),
      peer: dst,
      ts: e.ts,
      severity: 'high',
      why: `${src} sent the Redis server ${dst} (port ${c.rPort}) ${items.join('; ')}: administration commands applications never send`,
      evidence: [e],
    });
  }

  size(): number {
    return this.episodes.size;
  }
}
