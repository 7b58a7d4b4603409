/**
 * Users' requests at a steady pace (no shipshape header, no pin): what the rollout's volume and query-time checks
 * count as users, unlike the traffic the release generates itself. Runs until `stop()`; returns the count sent.
 */
export function pacedUsers(base: string, path: string, perSecond: number) {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    const started = Date.now();
    while (running) {
      const due = started + (sent * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent++;
      await fetch(new URL(path, base))
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      return sent;
    },
  };
}
