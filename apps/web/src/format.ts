import { lang } from './i18n';

/** Dates and times as officials read them: dd/mm/yyyy, in Vietnam's time zone, whatever the browser's. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parts = (instant: string): Record<string, string> => {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(formatter.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
};

/** `2026-06-20` or an instant → `20/06/2026`. */
export const formatDate = (value: string | null | undefined): string => {
  if (!value) return '—';
  const plain = ISO_DATE.exec(value);
  if (plain) return `${plain[3]}/${plain[2]}/${plain[1]}`;
  if (Number.isNaN(Date.parse(value))) return value;
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year}`;
};

/** An instant → `20/06/2026 17:00` (Vietnam time). */
export const formatDateTime = (value: string | null | undefined): string => {
  if (!value) return '—';
  if (Number.isNaN(Date.parse(value))) return value;
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
};

const locale = (): string => (lang() === 'vi' ? 'vi-VN' : 'en-GB');

/** 1234.5 → `1.234,5` in Vietnamese, `1,234.5` in English. */
export const formatNumber = (value: number | null | undefined, maximumFractionDigits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : new Intl.NumberFormat(locale(), { maximumFractionDigits }).format(value);

/** 0.855 → `85,5%`. */
export const formatPercent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? '—'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
