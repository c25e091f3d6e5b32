/** UTC calendar fields from epoch seconds (Howard Hinnant's civil_from_days), without Date. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function civil(epochSeconds: number): Civil {
  const days = Math.floor(epochSeconds / 86400);
  const secs = epochSeconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day, hour: Math.floor(secs / 3600), minute: Math.floor(secs / 60) % 60, second: secs % 60, weekday: (days + 4) % 7 };
}

const two = (n: number) => String(n).padStart(2, '0');

/** ls -l's "%Y-%m-%d %H:%M". */
export function lsDate(epochSeconds: number): string {
  const c = civil(epochSeconds);
  return `${c.year}-${two(c.month)}-${two(c.day)} ${two(c.hour)}:${two(c.minute)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** date(1)'s default format in UTC. */
export function dateString(epochSeconds: number): string {
  const c = civil(epochSeconds);
  return `${DAYS[c.weekday]} ${MONTHS[c.month - 1]} ${two(c.day)} ${two(c.hour)}:${two(c.minute)}:${two(c.second)} UTC ${c.year}`;
}
