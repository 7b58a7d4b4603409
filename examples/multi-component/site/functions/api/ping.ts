/** GET /api/ping: a Function beside the static pages. */
export const onRequestGet: PagesFunction = ({ request }) =>
  Response.json({ pong: true, path: new URL(request.url).pathname });
