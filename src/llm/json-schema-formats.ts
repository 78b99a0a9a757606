/**
 * The `format` values we check (others are annotations and always pass). The checks are
 * basic on purpose: they catch what a model gets wrong (a date in the wrong order, prose
 * instead of an address), not every corner of the RFCs.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 date-time; the letters T and Z may be lower case; leap seconds are refused.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
// One @, something on both sides, no whitespace.
const EMAIL = /^[^\s@]+@[^\s@]+$/;
// An RFC 3986 scheme, a colon, then no whitespace.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function datePartsValid(match: RegExpExecArray): boolean {
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

interface FormatRule {
  /** What the value must be, as the end of "must be …". */
  description: string;
  test(text: string): boolean;
}

const FORMAT_RULES: Record<string, FormatRule> = {
  date: {
    description: "a valid date (YYYY-MM-DD)",
    test: (text) => {
      const match = DATE.exec(text);
      return match !== null && datePartsValid(match);
    },
  },
  "date-time": {
    description: "a valid date-time (RFC 3339, e.g. 2024-05-01T12:30:00Z)",
    test: (text) => {
      const match = DATE_TIME.exec(text);
      return match !== null && datePartsValid(match);
    },
  },
  email: { description: "a valid email address", test: (text) => EMAIL.test(text) },
  uri: { description: "a valid URI with a scheme (e.g. https://example.com)", test: (text) => URI.test(text) },
};

/** The format names that are checked; any other format is accepted as is. */
export const CHECKED_FORMATS: readonly string[] = Object.keys(FORMAT_RULES);

/**
 * Checks a string against a format: undefined when it conforms (or the format is not one
 * we check), otherwise the description of what it must be.
 */
export function formatViolation(format: string, text: string): string | undefined {
  const rule = FORMAT_RULES[format];
  if (rule === undefined || rule.test(text)) return undefined;
  return rule.description;
}
