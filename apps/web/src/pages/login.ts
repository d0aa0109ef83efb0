import { ApiError, type DemoUser, demoTokens, get } from '../api';
import { h, uniqueId } from '../dom';
import { t, tOr } from '../i18n';
import { clearToken, readToken, storeToken } from '../session';

/**
 * Sign in by pasting a token (minted with `npm run token`). On a demo engine only, the demo users
 * are listed too (GET /dev/demo-tokens, development only).
 */
export const loginPage = async (main: HTMLElement, signedIn: () => void): Promise<void> => {
  const errorId = uniqueId('err');
  const error = h('p', { id: errorId, class: 'error', role: 'alert' });
  const tokenId = uniqueId('token');
  const textarea = h('textarea', {
    id: tokenId,
    name: 'token',
    rows: 4,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${tokenId}-hint ${errorId}`,
    required: true,
  });

  const signIn = async (token: string): Promise<void> => {
    const user = readToken(token);
    if (!user) {
      error.textContent = t('login.malformed');
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
      return;
    }
    storeToken(token);
    try {
      await get(`/units/${encodeURIComponent(user.unitId)}`);
      signedIn();
    } catch (e) {
      clearToken();
      error.textContent = e instanceof ApiError && e.status === 401 ? t('login.refused') : t('error.network');
      textarea.setAttribute('aria-invalid', 'true');
    }
  };

  const form = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void signIn(textarea.value);
      },
    },
    h('label', { for: tokenId }, t('login.token')),
    h('p', { id: `${tokenId}-hint`, class: 'hint' }, t('login.tokenHint')),
    textarea,
    error,
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
  );
  main.append(h('h1', {}, t('login.title')), form);

  const users = await demoTokens();
  if (!users || users.length === 0) return;
  const headingId = uniqueId('demo');
  main.append(
    h(
      'section',
      { class: 'card demo', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, t('login.demoTitle')),
      h('p', { class: 'warning' }, t('login.demoWarning')),
      h(
        'ul',
        { class: 'demo-users' },
        ...users.map((u: DemoUser) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', 'data-user': u.user, onclick: () => void signIn(u.token) },
              tOr(`demo.${u.user}`, u.userId),
            ),
            ' ',
            h('span', { class: 'code' }, `${u.userId} · ${u.unitId} · ${u.roles.map((r) => tOr(`role.${r}`, r)).join(', ')}`),
          ),
        ),
      ),
    ),
  );
};
