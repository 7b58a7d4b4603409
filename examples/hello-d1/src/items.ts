interface ItemRow {
  id: number;
  name: string;
  tags: string;
  created_at: string;
}

export async function listItems(db: D1Database, url: URL): Promise<Response> {
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 20) || 20, 1), 100);
  const { results } = await db
    .prepare('SELECT id, name, tags, created_at FROM items ORDER BY id DESC LIMIT ?')
    .bind(limit)
    .all<ItemRow>();
  return Response.json({ items: results });
}

export async function getItem(db: D1Database, id: number): Promise<Response> {
  const row = await db
    .prepare('SELECT id, name, tags, created_at FROM items WHERE id = ?')
    .bind(id)
    .first<ItemRow>();
  return row ? Response.json(row) : Response.json({ error: 'item not found' }, { status: 404 });
}

export async function createItem(db: D1Database, request: Request): Promise<Response> {
  let body: { name?: unknown; tags?: unknown };
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'body must be JSON' }, { status: 400 });
  }
  if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 200) {
    return Response.json(
      { error: 'name must be a non-empty string of at most 200 characters' },
      { status: 400 },
    );
  }
  const tags = typeof body.tags === 'string' ? body.tags : '';
  const row = await db
    .prepare('INSERT INTO items (name, tags) VALUES (?, ?) RETURNING id, name, tags, created_at')
    .bind(body.name.trim(), tags)
    .first<ItemRow>();
  return Response.json(row, { status: 201 });
}
