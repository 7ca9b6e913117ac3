import { vi } from 'vitest';

type Reply = { status: number; body?: unknown };
type Handler = (request: { method: string; url: string; headers: Record<string, string>; body: string | null }) => Reply;

/**
 * Stand-in for the Flask API in component tests: routes "METHOD /path" to a
 * handler and records every request. The end-to-end suite runs the real one.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: { method: string; url: string; headers: Record<string, string>; body: string | null }[] = [];
  const fetchFn = vi.fn<typeof fetch>(async (input, init = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const call = { method, url, headers, body: typeof init.body === 'string' ? init.body : null };
    calls.push(call);
    const handler = routes[`${method} ${url}`];
    const reply = handler ? handler(call) : { status: 404, body: { error: { code: 'not_found', message: `no route ${url}` } } };
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return new Response(reply.status === 204 ? null : text, {
      status: reply.status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchFn);
  return { calls };
}
