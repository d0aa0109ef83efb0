/**
 * The user's bearer token, kept in sessionStorage: it lives as long as the tab and is never sent
 * anywhere but this origin's API. The claims are read only to label the page; the server checks
 * the token on every request.
 */
export const TOKEN_STORAGE_KEY = 'vwu.token';

export type Role = 'admin' | 'leader' | 'officer' | 'viewer';
export type SessionUser = Readonly<{ userId: string; unitId: string; roles: readonly Role[]; expiresAt: number | null }>;

const base64UrlJson = (part: string): unknown => {
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
};

/** The claims of a token (sub, unit, roles, exp), or undefined when it is not a JWT of this engine. */
export const readToken = (token: string): SessionUser | undefined => {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = base64UrlJson(parts[1]) as Record<string, unknown>;
    if (typeof claims.sub !== 'string' || typeof claims.unit !== 'string' || !Array.isArray(claims.roles)) return undefined;
    return {
      userId: claims.sub,
      unitId: claims.unit,
      roles: claims.roles.filter((r): r is Role => ['admin', 'leader', 'officer', 'viewer'].includes(r as string)),
      expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
    };
  } catch {
    return undefined;
  }
};

export const storedToken = (): string | null => {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
};

export const storeToken = (token: string): void => sessionStorage.setItem(TOKEN_STORAGE_KEY, token.trim());
export const clearToken = (): void => sessionStorage.removeItem(TOKEN_STORAGE_KEY);

export const currentUser = (): SessionUser | undefined => {
  const token = storedToken();
  return token ? readToken(token) : undefined;
};

export const hasRole = (user: SessionUser, ...roles: Role[]): boolean => user.roles.some((r) => roles.includes(r));
