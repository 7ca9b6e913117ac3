import type { z } from 'zod';
import { env } from '@/config/env';

/** Every failed API call becomes one of these, whatever went wrong. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The CSRF token lives in memory only: it comes from login or /auth/me and is
// sent back on every state-changing request.
let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 (except the session probe itself), so the app can show the login screen. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

type RequestOptions<S extends z.ZodType | undefined> = {
  body?: unknown;
  /** Raw text body (CSV import); sent as is with this content type. */
  text?: { content: string; contentType: string };
  schema?: S;
  signal?: AbortSignal;
  /** The session probe expects 401 when logged out: do not treat it as an expiry. */
  expectUnauthorized?: boolean;
  /** Called with the headers of a successful answer (paging: X-Total-Count, X-Next-Cursor). */
  onHeaders?: (headers: Headers) => void;
};

type Result<S> = S extends z.ZodType ? z.output<S> : undefined;

function errorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    const fields: Record<string, string> = {};
    if (err.fields && typeof err.fields === 'object') {
      for (const [name, message] of Object.entries(err.fields as Record<string, unknown>)) {
        fields[name] = String(message);
      }
    }
    return new ApiError(status, typeof err.code === 'string' ? err.code : 'error', err.message, fields);
  }
  return new ApiError(status, 'http_error', `The server answered ${status} ${statusText}`.trim());
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function apiRequest<S extends z.ZodType | undefined = undefined>(
  method: string,
  path: string,
  options: RequestOptions<S> = {},
): Promise<Result<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.text) {
    headers['Content-Type'] = options.text.contentType;
    body = options.text.content;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${env.VITE_API_BASE}${path}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }

  const json = await readJson(response);
  if (!response.ok) {
    const error = errorFromBody(response.status, response.statusText, json);
    if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
    throw error;
  }
  options.onHeaders?.(response.headers);
  if (!options.schema) return undefined as Result<S>;
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new ApiError(
      response.status,
      'invalid_response',
      `Unexpected response from ${method} ${path} (at ${where}). The UI and API versions may not match.`,
    );
  }
  return parsed.data as Result<S>;
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) =>
    apiRequest('GET', path, { schema, signal }),
  post: <S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, schema?: S) =>
    apiRequest('POST', path, { body, schema }),
  put: <S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, schema?: S) =>
    apiRequest('PUT', path, { body, schema }),
  patch: <S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, schema?: S) =>
    apiRequest('PATCH', path, { body, schema }),
  delete: (path: string) => apiRequest('DELETE', path),
};
