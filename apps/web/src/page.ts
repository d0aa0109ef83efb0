import type { SessionUser } from './session';

/** What a page gets: where to draw, who is signed in, and hooks for live updates. */
export type PageContext = Readonly<{
  main: HTMLElement;
  user: SessionUser;
  /** Registers a part of the page to load now and again on each poll while the tab is visible. */
  live: (block: { refresh: () => Promise<void> }) => void;
  /** Reloads every live part now (after a command). */
  refreshAll: () => Promise<void>;
  /** Says something to screen readers (and shows it) without moving the focus. */
  announce: (text: string) => void;
  setTitle: (text: string) => void;
  navigate: (path: string) => void;
}>;
