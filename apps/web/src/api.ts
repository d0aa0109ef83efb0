import { clearToken, storedToken } from './session';

/** An error answer of the API: `{error: {code, kind, message, fields?, correlationId}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** Called on a 401: the token expired or was refused, so the page goes back to the sign-in. */
let onUnauthenticated: () => void = () => undefined;
export const whenUnauthenticated = (handler: () => void): void => {
  onUnauthenticated = handler;
};

/**
 * The global position of this tab's last command. Queries send it as minPosition, so a page read
 * right after a command shows that command's effect (docs/api.md, "Queries").
 */
let lastPosition = 0;
export const rememberPosition = (position: unknown): void => {
  if (typeof position === 'number' && position > lastPosition) lastPosition = position;
};

const url = (path: string, query: Query = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};

const request = async (
  method: 'GET' | 'POST',
  target: string,
  body?: unknown,
  accept = 'application/json',
): Promise<Response> => {
  const token = storedToken();
  const headers: Record<string, string> = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.ok) return response;
  let error: { code?: string; message?: string; fields?: { field: string; message: string }[] } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not JSON: keep the status alone
  }
  if (response.status === 401 && token) {
    clearToken();
    onUnauthenticated();
  }
  throw new ApiError(
    response.status,
    error.code ?? `HTTP_${response.status}`,
    error.message ?? response.statusText,
    error.fields,
  );
};

/** A plain GET (stream history and other routes that take no minPosition). */
export const get = async <T>(path: string, query: Query = {}): Promise<T> =>
  (await request('GET', url(path, query))).json() as Promise<T>;

/** A read-model query: waits (server side, at most 2 s) for this tab's own last write. */
export const query = <T>(path: string, q: Query = {}): Promise<T> =>
  get<T>(path, { ...q, ...(lastPosition > 0 ? { minPosition: lastPosition } : {}) });

export type CommandAnswer = Readonly<{ streamId: string; revision: number; position: number; replayed: boolean }>;

export const command = async (path: string, body: unknown = {}): Promise<CommandAnswer> => {
  const answer = (await (await request('POST', path, body)).json()) as CommandAnswer;
  rememberPosition(answer.position);
  return answer;
};

/** A text answer (the audit CSV). */
export const getText = async (path: string, q: Query = {}): Promise<string> =>
  (
    await request('GET', url(path, { ...q, ...(lastPosition > 0 ? { minPosition: lastPosition } : {}) }), undefined, 'text/csv')
  ).text();

/** Reads `/dev/demo-tokens`; undefined when the server has no demo data (the route is absent). */
export const demoTokens = async (): Promise<DemoUser[] | undefined> => {
  try {
    const response = await fetch('/dev/demo-tokens', { headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    return ((await response.json()) as { users: DemoUser[] }).users;
  } catch {
    return undefined;
  }
};

export type DemoUser = Readonly<{ user: string; userId: string; unitId: string; roles: string[]; token: string }>;
