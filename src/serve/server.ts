// `wardline serve`: the store to a browser and to scripts, read-only. The page is report.html
// built from the store at each request (a running monitor's latest state: SQLite WAL readers
// see every committed flush); the API gives the same report, devices, findings, alerts and the
// segmentation policy as JSON or text. Bound to loopback by default: it has no authentication
// (a reverse proxy with TLS and logins goes in front of it for remote use).
import { Hono } from 'hono';
import { serve as serveNode, type ServerType } from '@hono/node-server';
import { renderHtml } from '../report/html.js';
import { reportFromStore } from '../report/from-store.js';
import { Store } from '../store/store.js';
import { DEFAULT_MAX_PEERS, POLICY_SCOPES, type PolicyScope } from '../policy/policy.js';
import { policyFromStore } from '../policy/index.js';
import { POLICY_FORMATS, renderPolicy, type PolicyFormat } from '../policy/render.js';
import { VERSION } from '../version.js';

/**
 * report.html carries its own script and styles inline and loads nothing: the policy allows
 * exactly that, and no framing, forms or base changes.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Findings or alerts returned by one API call at most (the rest: narrow the query). */
const MAX_ITEMS = 10_000;

export interface ServeOptions {
  db: string;
}

export function createApp(opts: ServeOptions): { app: Hono; close: () => void } {
  const store = Store.open(opts.db, { readonly: true });
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('read-only: GET only\n', 405, { Allow: 'GET, HEAD' });
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', CSP);
  });
  app.get('/', (c) => c.html(renderHtml(reportFromStore(store))));
  app.get('/healthz', (c) => c.json({ ok: true, version: VERSION, store: opts.db, counts: store.counts() }));
  app.get('/api/report', (c) => c.json(reportFromStore(store)));
  app.get('/api/devices', (c) => {
    const q = c.req.query();
    let ds = store.devices();
    if (q.category !== undefined) ds = ds.filter((d) => d.category === q.category);
    if (q.medical !== undefined) ds = ds.filter((d) => d.medical === (q.medical === 'true'));
    if (q.risk !== undefined) ds = ds.filter((d) => d.risk.level === q.risk);
    return c.json(ds);
  });
  app.get('/api/devices/:id', (c) => {
    const id = c.req.param('id');
    const d = store.devices().find((x) => x.id === id);
    if (d === undefined) return c.json({ error: `no device ${id}` }, 404);
    return c.json({ device: d, findings: store.findings().filter((f) => f.device === id), alerts: store.alerts().filter((a) => a.device === id), identity_history: store.identityHistory(id) });
  });
  app.get('/api/findings', (c) => {
    const q = c.req.query();
    let fs = store.findings();
    for (const k of ['rule', 'severity', 'device', 'status'] as const) if (q[k] !== undefined) fs = fs.filter((f) => f[k] === q[k]);
    return c.json(fs.slice(0, MAX_ITEMS));
  });
  app.get('/api/alerts', (c) => {
    const q = c.req.query();
    const since = q.since !== undefined ? Number(q.since) : undefined;
    if (since !== undefined && !Number.isFinite(since)) return c.json({ error: 'since: epoch seconds' }, 400);
    let as = store.alerts(since !== undefined ? { since } : {});
    for (const k of ['rule', 'severity', 'device'] as const) if (q[k] !== undefined) as = as.filter((a) => a[k] === q[k]);
    return c.json(as.slice(0, MAX_ITEMS));
  });
  app.get('/api/conversations', (c) => {
    // Who talked with whom (answered, per originator, responder, transport and port); ?ip= keeps
    // the conversations of one address, either side.
    const ip = c.req.query('ip');
    const all = store.conversations();
    return c.json((ip === undefined ? all : all.filter((x) => x.orig === ip || x.resp === ip)).slice(0, MAX_ITEMS));
  });
  app.get('/api/policy', (c) => {
    const q = c.req.query();
    const format = (q.format ?? 'nftables') as PolicyFormat;
    const scope = (q.scope ?? 'medical-iot') as PolicyScope;
    if (!POLICY_FORMATS.includes(format)) return c.json({ error: `format: one of ${POLICY_FORMATS.join(', ')}` }, 400);
    if (!POLICY_SCOPES.includes(scope)) return c.json({ error: `scope: one of ${POLICY_SCOPES.join(', ')}` }, 400);
    const maxPeers = q.max_peers !== undefined ? Number(q.max_peers) : DEFAULT_MAX_PEERS;
    if (!Number.isInteger(maxPeers) || maxPeers <= 0) return c.json({ error: 'max_peers: a positive whole number' }, 400);
    const only = c.req.queries('device') ?? [];
    const p = policyFromStore(store, opts.db, { scope, maxPeers, only });
    return c.text(renderPolicy(p, format));
  });
  app.notFound((c) => c.json({ error: 'not found', routes: ['/', '/healthz', '/api/report', '/api/devices', '/api/devices/:id', '/api/findings', '/api/alerts', '/api/conversations', '/api/policy'] }, 404));
  return { app, close: () => store.close() };
}

/** Parses "host:port" ("[::1]:8080" for IPv6). */
export function parseListen(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  if (m === null) return null;
  const port = Number(m[3]);
  if (port < 0 || port > 65535) return null;
  return { host: m[1] ?? m[2], port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Starts listening; resolves with the bound address once the socket is open. */
export function startServer(opts: ServeOptions & { host: string; port: number }): Promise<{ server: ServerType; port: number; close: () => Promise<void> }> {
  const { app, close } = createApp(opts);
  return new Promise((resolve, reject) => {
    const server = serveNode({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info) => {
      resolve({
        server,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              close();
              done();
            });
          }),
      });
    });
    server.once('error', (e) => {
      close();
      reject(e);
    });
  });
}
