import { createHmac } from 'node:crypto';
import { InvalidTokenError, type Principal, signToken, verifyToken } from './jwt';

const secret = 'test-secret-of-enough-length-0123456789';
const principal: Principal = { userId: 'chair.laocai', unitId: 'LCI', roles: ['leader'], oversight: [] };
const now = 1_800_000_000;
const sign = (p: Principal = principal, expiresInSeconds = 3600) =>
  signToken(p, secret, { issuer: 'vwu', expiresInSeconds, nowSeconds: now });

describe('JWT (HS256)', () => {
  it('round-trips the principal', () => {
    expect(verifyToken(sign(), secret, { issuer: 'vwu', nowSeconds: now + 10 })).toEqual(principal);
    const overseer = { ...principal, roles: ['viewer' as const], oversight: ['P01', 'P02'] };
    expect(verifyToken(sign(overseer), secret, { issuer: 'vwu', nowSeconds: now })).toEqual(overseer);
  });

  const tamper = (token: string, claims: Record<string, unknown>, header = { alg: 'HS256', typ: 'JWT' }, key = secret) => {
    const h = Buffer.from(JSON.stringify(header)).toString('base64url');
    const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${h}.${p}.${createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')}`;
  };
  const valid = { sub: 'u', unit: 'U', roles: ['officer'], iss: 'vwu', exp: now + 60 };

  it.each([
    ['a token signed with another secret', () => tamper('', valid, undefined, 'other'), /bad signature/],
    [
      'a changed payload',
      () => sign().replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ ...valid, roles: ['admin'] })).toString('base64url')}.`),
      /bad signature/,
    ],
    ['an expired token', () => sign(principal, -1), /expired/],
    ['the "none" algorithm', () => tamper('', valid, { alg: 'none', typ: 'JWT' }), /unsupported algorithm/],
    ['another issuer', () => tamper('', { ...valid, iss: 'evil' }), /wrong issuer/],
    ['an unknown role', () => tamper('', { ...valid, roles: ['superuser'] }), /no valid roles/],
    ['no unit', () => tamper('', { ...valid, unit: '' }), /no unit/],
    ['garbage', () => 'not-a-token', /not a JWT/],
    ['an oversized token', () => 'a'.repeat(10_000), /too long/],
  ])('refuses %s', (_name, make, message) => {
    expect(() => verifyToken(make(), secret, { issuer: 'vwu', nowSeconds: now })).toThrow(InvalidTokenError);
    expect(() => verifyToken(make(), secret, { issuer: 'vwu', nowSeconds: now })).toThrow(message);
  });
});
