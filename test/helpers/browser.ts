// A minimal browser over app.inject: keeps cookies and posts forms with their CSRF token.
import type { FastifyInstance } from 'fastify';

export class Browser {
  /** Takes a getter: browsers may be made before the app exists (in a describe block). */
  constructor(private readonly app: () => FastifyInstance) {}

  cookies = new Map<string, string>();
  /** A field given several values (ticked checkboxes) is sent URL-encoded, as a browser sends it. */
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const encoded = form && Object.values(form).some(Array.isArray)
      ? { payload: new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))).toString(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } }
      : { ...(form ? { payload: form } : {}), headers: { cookie } };
    const res = await this.app().inject({ method, url, ...encoded });
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get = (url: string) => this.request('GET', url);
  /** Posts a form the way a browser does: with the CSRF token of the page it came from. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>) {
    return this.submitFrom(await this.get(pageUrl), action, fields, pageUrl);
  }
  async submitFrom(page: { body: string; statusCode: number }, action: string, fields: Record<string, string | string[]>, pageUrl = action) {
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (!csrf) throw new Error(`no form on ${pageUrl}: ${page.statusCode}`);
    const hidden = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    return this.request('POST', action, { ...hidden, ...fields, _csrf: csrf });
  }
}

