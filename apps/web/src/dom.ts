/**
 * A few lines instead of a framework: elements are built with text nodes and attributes, never
 * from HTML strings, so nothing the API returns can become markup (and the CSP forbids inline code).
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue | ((event: Event) => void)>>;

const append = (parent: Node, children: readonly Child[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
};

const setAttrs = (element: Element, attrs: Attrs): void => {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
};

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  setAttrs(element, attrs);
  append(element, children);
  return element;
};

const SVG = 'http://www.w3.org/2000/svg';
export const svg = (tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement => {
  const element = document.createElementNS(SVG, tag);
  setAttrs(element, attrs);
  append(element, children);
  return element;
};

export const replaceChildren = (parent: Element, ...children: Child[]): void => {
  parent.replaceChildren();
  append(parent, children);
};

/** A link inside the app (hash routing: the server serves one page). */
export const link = (path: string, ...children: Child[]): HTMLAnchorElement => h('a', { href: `#${path}` }, ...children);

let ids = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${++ids}`;
