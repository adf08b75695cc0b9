// Stratum, the crypto-currency mining pool protocol: newline-delimited JSON-RPC over TCP in three
// dialects. Stratum v1 (slushpool's, Bitcoin-family coins and Zcash/Equihash): mining.subscribe
// (params: miner software, session, pool host, port), mining.authorize (worker, password),
// mining.notify / mining.set_difficulty / mining.set_target from the pool, mining.submit shares.
// CryptoNote (Monero; xmrig, xmr-stak): login ({login, pass, agent, algo}), job, submit,
// keepalived. Ethereum stratum (ethminer, Claymore): eth_submitLogin (params: wallet/worker,
// password; a "worker" member), eth_getWork, eth_submitWork, eth_submitHashrate.
// Pure functions from one line to what it says; the analyzer keeps the state.

/** Longest line read (a mining.notify with its merkle branches stays well below). */
export const MAX_LINE = 16 * 1024;

export type Dialect = 'stratum' | 'cryptonote' | 'ethereum';

/** What one JSON-RPC line carries, reduced to what the log and the detectors need. */
export interface StratumMessage {
  /** The method of a request or notification; '' for a response. */
  method: string;
  /** Dialect the method belongs to, or null (a response, an unknown method). */
  dialect: Dialect | null;
  /** Miner software named by the message (subscribe's first parameter, login's agent). */
  agent: string;
  /** Wallet / worker login (authorize, login, eth_submitLogin). */
  user: string;
  /** A password went with the login (its value is never kept). */
  password: boolean;
  /** Pool host the miner says it connects to (mining.subscribe's third parameter). */
  poolHost: string;
  /** Algorithms a CryptoNote miner offers (login's algo list). */
  algos: string[];
  /** A response: its id, and whether it reports success (result not false/null, no error). */
  id: number | string | null;
  ok: boolean | null;
  /** A CryptoNote login response carries the first job. */
  hasJob: boolean;
}

/** Client methods, by dialect (a line with one of these is Stratum). */
const CLIENT_METHODS: Record<string, Dialect> = {
  'mining.subscribe': 'stratum',
  'mining.authorize': 'stratum',
  'mining.submit': 'stratum',
  'mining.configure': 'stratum',
  'mining.extranonce.subscribe': 'stratum',
  'mining.suggest_difficulty': 'stratum',
  'mining.suggest_target': 'stratum',
  'mining.get_transactions': 'stratum',
  'mining.multi_version': 'stratum',
  'mining.hello': 'stratum',
  'mining.noop': 'stratum',
  login: 'cryptonote',
  getjob: 'cryptonote',
  submit: 'cryptonote',
  keepalived: 'cryptonote',
  eth_submitLogin: 'ethereum',
  eth_getWork: 'ethereum',
  eth_submitWork: 'ethereum',
  eth_submitHashrate: 'ethereum',
};

/** Pool notifications, by dialect. */
const POOL_METHODS: Record<string, Dialect> = {
  'mining.notify': 'stratum',
  'mining.set_difficulty': 'stratum',
  'mining.set_target': 'stratum',
  'mining.set_extranonce': 'stratum',
  'mining.set_version_mask': 'stratum',
  'client.reconnect': 'stratum',
  'client.show_message': 'stratum',
  'client.get_version': 'stratum',
  job: 'cryptonote',
};

/** The dialect a method name belongs to when sent by the client (isOrig) or the pool. */
export function methodDialect(method: string, isOrig: boolean): Dialect | null {
  const t = isOrig ? CLIENT_METHODS : POOL_METHODS;
  return Object.prototype.hasOwnProperty.call(t, method) ? t[method] : null;
}

/** Methods that carry a mined share. */
export function isShare(method: string): boolean {
  return method === 'mining.submit' || method === 'submit' || method === 'eth_submitWork';
}

/** Methods that hand the miner work. */
export function isJob(method: string): boolean {
  return method === 'mining.notify' || method === 'job';
}

/** Methods that log in. */
export function isLogin(method: string): boolean {
  return method === 'mining.authorize' || method === 'login' || method === 'eth_submitLogin';
}

const str = (v: unknown, max = 256): string => (typeof v === 'string' ? v.slice(0, max) : '');

/**
 * Parses one line (without its terminator). Returns null when it is not a JSON-RPC object:
 * Stratum lines are always JSON objects with a method (requests, notifications) or a result or
 * error (responses).
 */
export function parseStratumLine(line: string, isOrig: boolean): StratumMessage | null {
  if (line.length === 0 || line.length > MAX_LINE) return null;
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  if (j === null || typeof j !== 'object' || Array.isArray(j)) return null;
  const o = j as Record<string, unknown>;
  const msg: StratumMessage = { method: '', dialect: null, agent: '', user: '', password: false, poolHost: '', algos: [], id: null, ok: null, hasJob: false };
  const id = o.id;
  msg.id = typeof id === 'number' || typeof id === 'string' ? id : null;
  if (typeof o.method === 'string') {
    msg.method = o.method.slice(0, 64);
    msg.dialect = methodDialect(msg.method, isOrig);
    const p = o.params;
    if (msg.method === 'mining.subscribe' && Array.isArray(p)) {
      msg.agent = str(p[0], 128);
      msg.poolHost = str(p[2], 253);
    } else if ((msg.method === 'mining.authorize' || msg.method === 'eth_submitLogin') && Array.isArray(p)) {
      msg.user = str(p[0]);
      msg.password = typeof p[1] === 'string' && p[1] !== '';
    } else if (msg.method === 'login' && p !== null && typeof p === 'object' && !Array.isArray(p)) {
      const q = p as Record<string, unknown>;
      msg.user = str(q.login);
      msg.password = typeof q.pass === 'string' && q.pass !== '';
      msg.agent = str(q.agent, 128);
      if (Array.isArray(q.algo)) for (const a of q.algo.slice(0, 16)) if (typeof a === 'string') msg.algos.push(a.slice(0, 32));
    }
    return msg;
  }
  if (!('result' in o) && !('error' in o)) return null;
  const err = o.error;
  const res = o.result;
  msg.ok = (err === null || err === undefined) && res !== false && res !== null && res !== undefined;
  if (res !== null && typeof res === 'object' && !Array.isArray(res) && 'job' in (res as object)) msg.hasJob = true;
  return msg;
}
