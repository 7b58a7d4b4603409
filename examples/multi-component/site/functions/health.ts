/** GET /health: the site is up when its Functions run. */
export const onRequestGet: PagesFunction = () => Response.json({ status: 'healthy', component: 'site' });
