import './styles.css';
import { whenUnauthenticated } from './api';
import { patternDefs } from './chart';
import { h, link, replaceChildren } from './dom';
import { initLang, lang, setLang, t } from './i18n';
import { loadUnit, unitName } from './names';
import type { PageContext } from './page';
import { directivePage } from './pages/directive';
import { homePage } from './pages/home';
import { loginPage } from './pages/login';
import { nodePage } from './pages/node';
import { reportPage } from './pages/report';
import { parseRoute, paths } from './routes';
import { clearToken, currentUser } from './session';

/** Live parts of the page in view are loaded again this often while the tab is visible. */
export const POLL_MS = 5000;

let generation = 0;
let refreshers: (() => Promise<void>)[] = [];
let notice = '';

const navigate = (path: string): void => {
  if (location.hash === `#${path}`) void render();
  else location.hash = path;
};

const header = (): HTMLElement => {
  const user = currentUser();
  const other = lang() === 'vi' ? 'en' : 'vi';
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'skip', href: '#main' }, t('shell.skip')),
    h('p', { class: 'brand' }, link(paths.home(), t('shell.brand'))),
    user
      ? h(
          'p',
          { class: 'who' },
          h('span', { class: 'sr-only' }, t('shell.signedInAs')),
          `${user.userId} · ${unitName(user.unitId)} · ${user.roles.map((r) => t(`role.${r}`)).join(', ')}`,
        )
      : null,
    h(
      'nav',
      { 'aria-label': t('shell.menu'), class: 'menu' },
      user ? link(paths.home(), t('nav.home')) : null,
      h(
        'button',
        {
          type: 'button',
          lang: other,
          id: 'lang-switch',
          onclick: () => {
            setLang(other);
            void render();
          },
        },
        t('shell.otherLanguage'),
      ),
      user
        ? h(
            'button',
            {
              type: 'button',
              onclick: () => {
                clearToken();
                navigate(paths.login());
              },
            },
            t('shell.signOut'),
          )
        : null,
    ),
  );
};

const render = async (): Promise<void> => {
  const mine = ++generation;
  refreshers = [];
  const route = parseRoute(location.hash);
  const user = currentUser();
  if (!user && route.name !== 'login') {
    location.hash = paths.login();
    return;
  }
  // The header names the user's unit: look it up once, before the first page.
  if (user && route.name !== 'login' && unitName(user.unitId) === user.unitId) await loadUnit(user.unitId).catch(() => undefined);
  if (mine !== generation) return;
  const main = h('main', { id: 'main', tabindex: -1 });
  const status = h('p', { class: 'announce', role: 'status', 'aria-live': 'polite' }, notice);
  notice = '';
  replaceChildren(
    document.body,
    patternDefs(),
    header(),
    status,
    main,
    h('footer', {}, t('shell.footer', { seconds: POLL_MS / 1000 })),
  );
  const alive = () => mine === generation;
  if (route.name === 'login' || !user) {
    await loginPage(main, () => navigate(paths.home()));
    document.title = `${t('login.title')} · ${t('shell.brand')}`;
    return;
  }
  const ctx: PageContext = {
    main,
    user,
    live: (block) => {
      if (!alive()) return;
      refreshers.push(block.refresh);
      void block.refresh();
    },
    refreshAll: async () => {
      if (alive()) await Promise.all(refreshers.map((r) => r()));
    },
    announce: (text) => {
      status.textContent = text;
    },
    setTitle: (text) => {
      document.title = `${text} · ${t('shell.brand')}`;
    },
    navigate,
  };
  switch (route.name) {
    case 'home':
      homePage(ctx);
      break;
    case 'node':
      nodePage(ctx, route.directiveId, route.period, route.unitId);
      break;
    case 'directive':
      directivePage(ctx, route.directiveId);
      break;
    case 'report':
      reportPage(ctx, route.directiveId, route.unitId, route.period);
      break;
    case 'unknown':
      main.append(h('h1', {}, t('error.pageNotFound')), h('p', {}, link(paths.home(), t('nav.home'))));
      break;
  }
};

const poll = (): void => {
  if (document.visibilityState === 'visible') for (const refresh of refreshers) void refresh();
};

initLang();
whenUnauthenticated(() => {
  if (parseRoute(location.hash).name === 'login') return;
  notice = t('login.expired');
  navigate(paths.login());
});
window.addEventListener('hashchange', () => {
  void render().then(() => document.getElementById('main')?.focus({ preventScroll: true }));
});
document.addEventListener('visibilitychange', poll);
setInterval(poll, POLL_MS);
void render();
