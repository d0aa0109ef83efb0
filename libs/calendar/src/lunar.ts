import { CalendarInputInvalid } from './calendar.errors';
import {
  assertWholeNumber,
  dateOfEpochDay,
  datePartsOf,
  epochDayOf,
  type LocalDate,
  VIETNAM_UTC_OFFSET_HOURS,
} from './local-date';

/**
 * The Vietnamese lunisolar calendar (âm lịch), after the astronomical method Hồ Ngọc Đức published
 * ("Thuật toán tính âm lịch"):
 * - a month starts on the local day of a new moon;
 * - lunar month 11 is the month that contains the December solstice;
 * - when 13 months separate two months 11, the first of them after month 11 in which the sun
 *   crosses no multiple of 30° of longitude (no major solar term) is a leap month and repeats the
 *   previous month's number.
 * New moons and the sun's longitude use Meeus' short series. "Local" is UTC+7: Vietnam and China
 * (UTC+8) compute with the same rules yet disagree in years such as 1985 and 2007, when a new moon
 * or a solar term falls between 23:00 and midnight Vietnam time.
 */
export type LunarDate = Readonly<{ year: number; month: number; day: number; leap: boolean }>;

const TIME_ZONE_DAYS = VIETNAM_UTC_OFFSET_HOURS / 24;
/** Julian day number of 1970-01-01; Julian dates below count days from noon UT. */
const JDN_OF_EPOCH = 2_440_588;
/** Julian date of the new moon of 1900-01-01 13:52 UT, from which new moons are counted. */
const NEW_MOON_ZERO = 2_415_021.076998695;
const SYNODIC_MONTH = 29.530588853;
const RAD = Math.PI / 180;

/** Julian date (UT) of the k-th new moon after that of January 1900. */
const newMoon = (k: number): number => {
  const T = k / 1236.85; // Julian centuries since 1900
  const T2 = T * T;
  const T3 = T2 * T;
  const sin = (degrees: number) => Math.sin(degrees * RAD);
  const mean =
    2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3 + 0.00033 * sin(166.56 + 132.87 * T - 0.009173 * T2);
  const sunAnomaly = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const moonAnomaly = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const moonLatitude = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  const correction =
    (0.1734 - 0.000393 * T) * sin(sunAnomaly) +
    0.0021 * sin(2 * sunAnomaly) -
    0.4068 * sin(moonAnomaly) +
    0.0161 * sin(2 * moonAnomaly) -
    0.0004 * sin(3 * moonAnomaly) +
    0.0104 * sin(2 * moonLatitude) -
    0.0051 * sin(sunAnomaly + moonAnomaly) -
    0.0074 * sin(sunAnomaly - moonAnomaly) +
    0.0004 * sin(2 * moonLatitude + sunAnomaly) -
    0.0004 * sin(2 * moonLatitude - sunAnomaly) -
    0.0006 * sin(2 * moonLatitude + moonAnomaly) +
    0.001 * sin(2 * moonLatitude - moonAnomaly) +
    0.0005 * sin(2 * moonAnomaly + sunAnomaly);
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return mean + correction - deltaT;
};

/** Julian day number of the local day of the k-th new moon. */
const newMoonDay = (k: number): number => Math.floor(newMoon(k) + 0.5 + TIME_ZONE_DAYS);

/** The sun's true longitude at Julian date `jd` (Meeus' low-accuracy series), in degrees 0..360. */
const sunLongitude = (jd: number): number => {
  const T = (jd - 2451545.0) / 36525; // Julian centuries since J2000
  const T2 = T * T;
  const sunAnomaly = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const meanLongitude = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  const centre =
    (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(sunAnomaly * RAD) +
    (0.019993 - 0.000101 * T) * Math.sin(2 * sunAnomaly * RAD) +
    0.00029 * Math.sin(3 * sunAnomaly * RAD);
  const longitude = (meanLongitude + centre) % 360;
  return longitude < 0 ? longitude + 360 : longitude;
};

/** Which 30° sector (0..11) the sun is in at the local start of day `jdn`; 9 is 270°..300°, the solstice's. */
const sunSectorAtStartOfDay = (jdn: number): number => Math.floor(sunLongitude(jdn - 0.5 - TIME_ZONE_DAYS) / 30);

const newMoonIndexNear = (jdn: number): number => Math.round((jdn - NEW_MOON_ZERO) / SYNODIC_MONTH);

/** Julian day number of the first day of lunar month 11 that contains the December solstice of `year`. */
const month11Start = (year: number): number => {
  const dec31 = epochDayOf(`${String(year).padStart(4, '0')}-12-31`) + JDN_OF_EPOCH;
  const k = Math.floor((dec31 - 2_415_021) / SYNODIC_MONTH);
  const start = newMoonDay(k);
  // A month that starts with the sun already past 270° began after the solstice, so the solstice's month is the one before.
  return sunSectorAtStartOfDay(start) >= 9 ? newMoonDay(k - 1) : start;
};

type LunarMonth = Readonly<{ start: number; length: number; year: number; month: number; leap: boolean }>;

/** Memoised spans: they depend on nothing but the year. */
const spans = new Map<number, readonly LunarMonth[]>();

/**
 * The months from month 11 of lunar year `year` (the solstice of solar `year`) up to the next
 * month 11: months 11 and 12 belong to lunar year `year`, months 1..10 to `year + 1`.
 */
const monthsFromSolstice = (year: number): readonly LunarMonth[] => {
  const cached = spans.get(year);
  if (cached) return cached;
  const first = month11Start(year);
  const end = month11Start(year + 1);
  const k = newMoonIndexNear(first);
  const starts: number[] = [];
  for (let i = 0; newMoonDay(k + i) < end; i++) starts.push(newMoonDay(k + i));
  starts.push(end);
  const count = starts.length - 1;
  let leapAt = -1;
  if (count === 13) {
    leapAt = starts.findIndex(
      (start, i) => i >= 1 && i < count && sunSectorAtStartOfDay(start) === sunSectorAtStartOfDay(starts[i + 1]),
    );
    if (leapAt < 0) throw new Error(`No month without a major solar term in lunar year ${year + 1}`);
  }
  const months = starts.slice(0, count).map((start, i): LunarMonth => {
    const leap = i === leapAt;
    const ordinal = leapAt >= 0 && i >= leapAt ? i - 1 : i; // 0 = month 11, 1 = month 12, 2 = month 1, …
    return {
      start,
      length: starts[i + 1] - start,
      year: ordinal <= 1 ? year : year + 1,
      month: ((ordinal + 10) % 12) + 1,
      leap,
    };
  });
  spans.set(year, months);
  return months;
};

export const solarToLunar = (date: LocalDate): LunarDate => {
  const jdn = epochDayOf(date) + JDN_OF_EPOCH;
  const { year } = datePartsOf(date);
  const span = jdn >= month11Start(year) ? monthsFromSolstice(year) : monthsFromSolstice(year - 1);
  const month = span.findLast((m) => m.start <= jdn);
  if (!month) throw new Error(`No lunar month found for ${date}`);
  return { year: month.year, month: month.month, day: jdn - month.start + 1, leap: month.leap };
};

/** The solar date of a lunar date; a leap month that the year does not have, or a day 30 of a 29-day month, is refused. */
export const lunarToSolar = (lunarYear: number, lunarMonth: number, lunarDay: number, leap = false): LocalDate => {
  assertWholeNumber(lunarYear, 'lunarYear', 1, 9998);
  assertWholeNumber(lunarMonth, 'lunarMonth', 1, 12);
  assertWholeNumber(lunarDay, 'lunarDay', 1, 30);
  const span = monthsFromSolstice(lunarMonth >= 11 ? lunarYear : lunarYear - 1);
  const month = span.find((m) => m.year === lunarYear && m.month === lunarMonth && m.leap === leap);
  if (!month) throw new CalendarInputInvalid('lunarMonth', `${lunarMonth} is not a leap month in lunar year ${lunarYear}`);
  if (lunarDay > month.length)
    throw new CalendarInputInvalid(
      'lunarDay',
      `must be at most ${month.length} in month ${lunarMonth} of lunar year ${lunarYear}`,
    );
  return dateOfEpochDay(month.start + lunarDay - 1 - JDN_OF_EPOCH);
};

/** The leap month of lunar year `lunarYear` (1..12), or null when the year has twelve months. */
export const leapMonthOf = (lunarYear: number): number | null => {
  assertWholeNumber(lunarYear, 'lunarYear', 1, 9998);
  const leap = [...monthsFromSolstice(lunarYear - 1), ...monthsFromSolstice(lunarYear)].find(
    (m) => m.leap && m.year === lunarYear,
  );
  return leap ? leap.month : null;
};
