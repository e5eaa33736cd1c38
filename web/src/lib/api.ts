// Calls to Yoyaku's JSON API (same origin). Errors arrive as problem+json (RFC 9457) with
// `code` and, for bad input, the `field` at fault.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    /** The whole problem+json body (an import's refusal lists every bad row). */
    readonly data?: unknown,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A file sent as it is, with its media type (an import's CSV), instead of a JSON body. */
  file?: { type: string; data: Blob };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let csrfToken = '';

/** The signed-in session's CSRF token, sent as X-CSRF-Token on every unsafe request. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  } else if (options.file) {
    headers['Content-Type'] = options.file.type;
    init.body = options.file.data;
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!resp.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; field?: string };
    throw new ApiError(resp.status, p.code ?? 'error', p.detail ?? resp.statusText, p.field, data);
  }
  return data as T;
}

/** A fresh key for a request that must not happen twice (bookings, holds). */
export function idempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

export const enc = encodeURIComponent;

/** A file the API answers (a receipt's PDF), saved through the browser under its own name. */
export async function download(method: string, path: string, options: RequestOptions = {}): Promise<void> {
  const headers: Record<string, string> = { ...options.headers };
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const resp = await fetch(path, init);
  if (!resp.ok) {
    const p = (await resp.json().catch(() => ({}))) as { code?: string; detail?: string; field?: string };
    throw new ApiError(resp.status, p.code ?? 'error', p.detail ?? resp.statusText, p.field);
  }
  const name = /filename="([^"]+)"/.exec(resp.headers.get('Content-Disposition') ?? '')?.[1] ?? 'download';
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
