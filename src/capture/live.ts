// Live capture through Debian's capture tools writing a pcap stream to a pipe: `dumpcap -w -`
// (pcapng) or `tcpdump -U -w -` (pcap, flushed per packet). The tool owns the interface and its
// privileges; wardline reads the stream like any other capture. The tools' own statistics
// (packets received, dropped by the kernel or the interface), printed on stderr when they stop,
// are parsed and reported.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StreamSource, type ByteSource } from './source.js';
import { CaptureError } from './errors.js';

export type CaptureTool = 'dumpcap' | 'tcpdump';

export interface LiveCaptureOptions {
  iface: string;
  /** Which tool to run; default: dumpcap when installed, else tcpdump. */
  tool?: CaptureTool;
  /** A BPF capture filter, passed to the tool. */
  filter?: string;
  /** Bytes kept per packet (0 or unset: the tool's default, the whole packet). */
  snaplen?: number;
}

export interface CaptureToolStats {
  tool: CaptureTool;
  /** Packets the tool received from the kernel (dumpcap) or that matched the filter (tcpdump). */
  received: number | null;
  /** Packets the kernel dropped because the tool (or wardline behind it) was too slow. */
  dropped: number | null;
  /** Packets the interface/driver dropped, when the tool reports it. */
  ifDropped: number | null;
  exitCode: number | null;
  /** The tool's last stderr lines when it failed. */
  message: string | null;
}

/** The tool's path in $PATH (or the usual sbin directories), or null. */
export function findTool(name: CaptureTool): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin']);
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return null;
}

export function toolArgs(tool: CaptureTool, o: LiveCaptureOptions): string[] {
  const args = tool === 'dumpcap' ? ['-i', o.iface, '-q', '-w', '-'] : ['-i', o.iface, '-U', '-n', '-w', '-'];
  if (o.snaplen !== undefined && o.snaplen > 0) args.push('-s', String(o.snaplen));
  if (o.filter !== undefined && o.filter !== '') {
    if (tool === 'dumpcap') args.push('-f', o.filter);
    else args.push(o.filter);
  }
  return args;
}

/** Parses the statistics dumpcap or tcpdump print on stderr when they stop. */
export function parseToolStats(tool: CaptureTool, stderr: string): Pick<CaptureToolStats, 'received' | 'dropped' | 'ifDropped'> {
  if (tool === 'dumpcap') {
    // "Packets received/dropped on interface 'lo': 42/0 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)"
    const m = /Packets received\/dropped on interface .*?: (\d+)\/(\d+)(?: \(pcap:(\d+)\/dumpcap:(\d+)\/flushed:(\d+)\/ps_ifdrop:(\d+)\))?/.exec(stderr);
    if (m === null) return { received: null, dropped: null, ifDropped: null };
    return { received: Number(m[1]), dropped: Number(m[2]), ifDropped: m[6] !== undefined ? Number(m[6]) : null };
  }
  // "12 packets captured\n12 packets received by filter\n0 packets dropped by kernel[\n0 packets dropped by interface]"
  const rx = /(\d+) packets? received by filter/.exec(stderr);
  const kd = /(\d+) packets? dropped by kernel/.exec(stderr);
  const id = /(\d+) packets? dropped by interface/.exec(stderr);
  return { received: rx ? Number(rx[1]) : null, dropped: kd ? Number(kd[1]) : null, ifDropped: id ? Number(id[1]) : null };
}

/** Bytes of the tool's stderr kept (its statistics come last). */
const STDERR_KEEP = 16 * 1024;

export class LiveCapture {
  readonly source: ByteSource;
  readonly tool: CaptureTool;
  readonly iface: string;
  private readonly child: ChildProcess;
  private stderr = '';
  private readonly done: Promise<CaptureToolStats>;
  /**
   * Settles when the tool says it is capturing (tcpdump "listening on", dumpcap "Capturing on"),
   * or when it exits: traffic sent before that is not seen.
   */
  readonly ready: Promise<void>;

  constructor(o: LiveCaptureOptions) {
    const tool = o.tool ?? (findTool('dumpcap') !== null ? 'dumpcap' : 'tcpdump');
    const path = findTool(tool);
    if (path === null) throw new CaptureError('unreadable', `cannot capture on ${o.iface}: ${tool} is not installed (apt-get install ${tool === 'dumpcap' ? 'wireshark-common' : 'tcpdump'})`);
    this.tool = tool;
    this.iface = o.iface;
    this.child = spawn(path, toolArgs(tool, o), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.setEncoding('utf8');
    let onReady: () => void = () => undefined;
    this.ready = new Promise((r) => (onReady = r));
    this.child.stderr!.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-STDERR_KEEP);
      if (/listening on|Capturing on/i.test(this.stderr)) onReady();
    });
    this.child.once('exit', () => onReady());
    this.done = new Promise((resolve) => {
      const finish = (code: number | null): void => {
        const s = parseToolStats(tool, this.stderr);
        const failed = code !== 0 && s.received === null;
        resolve({ tool, ...s, exitCode: code, message: failed ? this.stderr.trim().split('\n').slice(-3).join(' ') || `${tool} exited with ${code}` : null });
      };
      this.child.on('error', (e) => {
        this.stderr += `\n${e.message}`;
        finish(null);
      });
      this.child.on('close', (code) => finish(code));
    });
    this.source = new StreamSource(this.child.stdout!);
  }

  /** Asks the tool to stop (it flushes, prints its statistics and closes the stream). */
  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
  }

  /** Resolves when the tool has exited, with its statistics. */
  stats(): Promise<CaptureToolStats> {
    return this.done;
  }
}
