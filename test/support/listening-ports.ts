import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * TCP ports in LISTEN state owned by `pid` or any of its descendants, read from /proc as `ss -ltnp` does
 * (socket inodes of each process's fds matched against /proc/net/tcp and tcp6). Linux only.
 */
export function listeningPorts(pid: number): number[] {
  return [...new Set(listeningSockets(pid).map((s) => s.port))].sort((a, b) => a - b);
}

/**
 * The listening sockets of `pid` and its descendants with their local address: `127.0.0.1`, `0.0.0.0`, or an
 * IPv6 address as /proc spells it (`::` is 32 zeros).
 */
export function listeningSockets(pid: number): Array<{ address: string; port: number }> {
  const inodes = new Set<string>();
  for (const p of [pid, ...descendants(pid)]) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${p}/fd`);
    } catch {
      continue; // ended meanwhile
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const sockets: Array<{ address: string; port: number }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st ... inode (index 9); st 0A = LISTEN
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) {
        const [hex, port] = cols[1].split(':');
        sockets.push({ address: hex.length === 8 ? ipv4(hex) : hex, port: Number.parseInt(port, 16) });
      }
    }
  }
  return sockets;
}

/** /proc's IPv4 address: 8 hex digits, the bytes in the host's (little-endian) order. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** Every process below `pid`, by each process's parent pid in /proc/<p>/stat. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** True while `pid` exists and is not a zombie (a killed child its new parent has not reaped yet). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
