//! Calendar dates as cables write them (`05/02/2017`, `8/24/05`, `2020/02/23`, `20170502`)
//! and as the CLI takes them (`--as-of 2026-01-01`). No clock is read here: "today" is
//! always passed in.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar date; ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Strict ISO `YYYY-MM-DD`, as the command line takes it.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s[0..4].parse().ok()?;
        let month = s[5..7].parse().ok()?;
        let day = s[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// A date as cables print it: `MM/DD/YYYY`, `M/D/YY`, `YYYY/MM/DD`, `YYYY-MM-DD`,
    /// `YYYYMMDD`. Two-digit years pivot at 50 (cables run 1966–2010; DECL dates reach 2035).
    pub fn parse_cable(s: &str) -> Option<Date> {
        let s = s.trim().trim_end_matches(['.', ',', ';', '\\', ' ']);
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Date::new(
                s[0..4].parse().ok()?,
                s[4..6].parse().ok()?,
                s[6..8].parse().ok()?,
            );
        }
        let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
            return None;
        }
        let nums: Vec<u32> = parts
            .iter()
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<_>>()?;
        if parts[0].len() == 4 {
            return Date::new(nums[0] as i32, nums[1], nums[2]);
        }
        let year = match parts[2].len() {
            4 => nums[2] as i32,
            2 => pivot(nums[2]),
            _ => return None,
        };
        Date::new(year, nums[0], nums[1])
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences in days.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01: the inverse of [`Date::days`] (Howard Hinnant's
    /// days-to-civil algorithm, proleptic Gregorian).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_years(self, years: i32) -> Date {
        Date::new(self.year + years, self.month, self.day).unwrap_or(Date {
            year: self.year + years,
            month: self.month,
            day: 28,
        })
    }
}

/// Two-digit year pivot: 00–49 → 2000s, 50–99 → 1900s.
pub fn pivot(two_digits: u32) -> i32 {
    if two_digits < 50 {
        2000 + two_digits as i32
    } else {
        1900 + two_digits as i32
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cable_forms() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(Date::parse_cable("05/02/2017"), Some(d(2017, 5, 2)));
        assert_eq!(Date::parse_cable("8/24/05"), Some(d(2005, 8, 24)));
        assert_eq!(Date::parse_cable("6/5/99"), Some(d(1999, 6, 5)));
        assert_eq!(Date::parse_cable("2020/02/23"), Some(d(2020, 2, 23)));
        assert_eq!(Date::parse_cable("2020-02-23"), Some(d(2020, 2, 23)));
        assert_eq!(Date::parse_cable("20170502"), Some(d(2017, 5, 2)));
        assert_eq!(Date::parse_cable("12/12/2017 \\"), Some(d(2017, 12, 12)));
        assert_eq!(Date::parse_cable("13/40/2017"), None);
        assert_eq!(Date::parse_cable("OADR"), None);
    }

    #[test]
    fn iso_is_strict() {
        assert_eq!(Date::parse_iso("2026-01-01"), Date::new(2026, 1, 1));
        assert_eq!(Date::parse_iso("2026-1-1"), None);
        assert_eq!(Date::parse_iso("2026-02-30"), None);
    }

    #[test]
    fn days_round_trip() {
        for days in [-1, 0, 59, 60, 11_016, 11_017, 20_454, 47_482] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(
            Date::new(2016, 2, 29).unwrap().add_years(1).to_string(),
            "2017-02-28"
        );
    }
}
