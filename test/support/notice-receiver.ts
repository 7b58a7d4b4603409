import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver on 127.0.0.1 counting the rollback notices (`rollback.finished` records) it answered. */
export interface NoticeReceiver {
  url: string;
  /** Notices for `release` answered 200: the ones a sender knows were delivered. */
  count(release: string): number;
  /** Leaves the next notice unanswered (its sender waits) and uncounted. */
  holdNext(): void;
  /** How many notices are being held. */
  held(): number;
  close(): Promise<void>;
}

export async function startNoticeReceiver(): Promise<NoticeReceiver> {
  const answered: string[] = [];
  const holding: ServerResponse[] = [];
  let hold = false;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data) as { type?: string; release?: string };
      if (body.type !== 'rollback.finished') return void res.end('ignored');
      if (hold) {
        hold = false;
        holding.push(res);
        return;
      }
      answered.push(String(body.release));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: (release) => answered.filter((r) => r === release).length,
    holdNext: () => {
      hold = true;
    },
    held: () => holding.length,
    close: () =>
      new Promise<void>((r) => {
        for (const res of holding) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
