import { createHmac, timingSafeEqual } from 'node:crypto';

export const ROLES = ['admin', 'leader', 'officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a bearer token says about its holder. */
export type Principal = Readonly<{
  userId: string;
  unitId: string;
  roles: readonly Role[];
  /** Units whose subtrees an oversight group may read, besides the holder's own. */
  oversight: readonly string[];
}>;

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MAX_TOKEN_LENGTH = 8192;

/** HS256 only: the engine signs and checks its own tokens; no algorithm is taken from the token. */
export const signToken = (
  principal: Principal,
  secret: string,
  options: { issuer: string; expiresInSeconds: number; nowSeconds: number },
): string => {
  const payload = {
    sub: principal.userId,
    unit: principal.unitId,
    roles: principal.roles,
    ...(principal.oversight.length > 0 ? { oversight: principal.oversight } : {}),
    iss: options.issuer,
    iat: options.nowSeconds,
    exp: options.nowSeconds + options.expiresInSeconds,
  };
  const body = `${HEADER}.${b64url(JSON.stringify(payload))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

export const verifyToken = (token: string, secret: string, options: { issuer: string; nowSeconds: number }): Principal => {
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token is too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('token is not a JWT');
  const [header, payload, signature] = parts;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('bad signature');
  let parsedHeader: { alg?: unknown };
  let claims: Record<string, unknown>;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InvalidTokenError('token is not valid JSON');
  }
  if (parsedHeader.alg !== 'HS256') throw new InvalidTokenError('unsupported algorithm');
  if (claims.iss !== options.issuer) throw new InvalidTokenError('wrong issuer');
  if (typeof claims.exp !== 'number' || claims.exp <= options.nowSeconds) throw new InvalidTokenError('token has expired');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidTokenError('token has no subject');
  if (typeof claims.unit !== 'string' || claims.unit.length === 0) throw new InvalidTokenError('token has no unit');
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (roles.length === 0 || !roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) {
    throw new InvalidTokenError('token has no valid roles');
  }
  const oversight = Array.isArray(claims.oversight) ? claims.oversight.filter((u): u is string => typeof u === 'string') : [];
  return { userId: claims.sub, unitId: claims.unit, roles, oversight };
};
