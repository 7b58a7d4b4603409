// The example's e2e test: create an item and read it back, pinned to the version under test.
// shipshape runs it with SHIPSHAPE_URL and SHIPSHAPE_VERSION_OVERRIDES (the pin header's value) in its env.
const base = process.env.SHIPSHAPE_URL ?? 'http://127.0.0.1:8787';
const headers = { 'content-type': 'application/json' };
if (process.env.SHIPSHAPE_VERSION_OVERRIDES) {
  headers['Cloudflare-Workers-Version-Overrides'] = process.env.SHIPSHAPE_VERSION_OVERRIDES;
}

async function main() {
  const created = await fetch(`${base}/api/items`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'e2e item', tags: 'e2e' }),
  });
  if (created.status !== 201) throw new Error(`POST /api/items answered ${created.status}`);
  const item = await created.json();
  const read = await fetch(`${base}/api/items/${item.id}`, { headers });
  if (read.status !== 200) throw new Error(`GET /api/items/${item.id} answered ${read.status}`);
  const body = await read.json();
  if (body.name !== 'e2e item') throw new Error(`item came back as ${JSON.stringify(body)}`);
  process.stdout.write(`e2e ok: item ${item.id} created and read back\n`);
}

main().catch((err) => {
  process.stderr.write(`e2e failed: ${err.message}\n`);
  process.exit(1);
});
