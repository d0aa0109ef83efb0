/** The app's addresses (hash routing: the server has one page, /app/). */
const enc = encodeURIComponent;

export const paths = {
  home: (): string => '/',
  login: (): string => '/login',
  node: (directiveId: string, period: string, unitId: string): string =>
    `/node/${enc(directiveId)}/${enc(period)}/${enc(unitId)}`,
  directive: (directiveId: string): string => `/directive/${enc(directiveId)}`,
  report: (directiveId: string, unitId: string, period: string): string =>
    `/report/${enc(directiveId)}/${enc(unitId)}/${enc(period)}`,
};

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'node'; directiveId: string; period: string; unitId: string }
  | { name: 'directive'; directiveId: string }
  | { name: 'report'; directiveId: string; unitId: string; period: string }
  | { name: 'unknown' };

export const parseRoute = (hash: string): Route => {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '');
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { name: 'unknown' };
  }
  const [name, a, b, c] = decoded;
  if (decoded.length === 0) return { name: 'home' };
  if (name === 'login' && decoded.length === 1) return { name: 'login' };
  if (name === 'node' && decoded.length === 4) return { name: 'node', directiveId: a, period: b, unitId: c };
  if (name === 'directive' && decoded.length === 2) return { name: 'directive', directiveId: a };
  if (name === 'report' && decoded.length === 4) return { name: 'report', directiveId: a, unitId: b, period: c };
  return { name: 'unknown' };
};
