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

/// Reads a declassification value as printed (`20320108`, `25X1`, `50X1-HUM, 20621231`,
/// `OADR`, `MR`, `E2 IMPDET`, `RDS-4`, `N/A`, an event) into its typed form.
pub fn read_instruction(raw: &str) -> super::DeclassifyOn {
    use super::DeclassifyOn;
    let value = raw.trim().trim_end_matches(['.', ',', ';']);
    let upper = value.to_ascii_uppercase();
    let mut words = upper
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    let date_in = |from: &str| {
        from.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .find_map(Date::parse_cable)
    };
    if let Some(d) = Date::parse_cable(first).or_else(|| spaced_date(&upper)) {
        return DeclassifyOn::Date(d);
    }
    // OCR reads the `1` of `X1` as `l` or `I`, and some print `X-1`.
    let first_fixed = ocr_exemption(first);
    let first = first_fixed.as_deref().unwrap_or(first);
    if is_exemption(first) {
        let rest = &upper[upper.find(first).map_or(0, |k| k + first.len())..];
        return DeclassifyOn::Exemption {
            code: first.to_string(),
            date: date_in(rest),
        };
    }
    match first {
        "" => DeclassifyOn::Event(String::new()),
        "OADR" => DeclassifyOn::Oadr,
        "MR" => DeclassifyOn::ManualReview,
        "IMPDET" => DeclassifyOn::Impdet,
        // `E2 IMPDET` as typed and as OCR prints it (`EZ`, `F2`, `E?`).
        _ if upper.split_whitespace().any(|w| w == "IMPDET") => DeclassifyOn::Impdet,
        "N/A" | "NA" => DeclassifyOn::NotApplicable,
        w if ["GDS", "XGDS", "RDS"].iter().any(|s| {
            w.strip_prefix(s)
                .is_some_and(|r| r.is_empty() || r.starts_with('-'))
        }) =>
        {
            DeclassifyOn::Schedule(w.to_string())
        }
        _ => DeclassifyOn::Event(value.to_string()),
    }
}

/// A date printed with blanks: letter-spaced (`2 0 3 2 0 1 0 8`, `203 10524`) or day,
/// month name and year (`08 JAN 2007`, `20 November. 2032`).
fn spaced_date(upper: &str) -> Option<Date> {
    let digits: String = upper.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(d) = Date::parse_cable(&digits) {
        return Some(d);
    }
    let words: Vec<&str> = upper
        .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [day, month, year, ..] = words.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let month = MONTHS
        .iter()
        .position(|m| month.len() >= 3 && month.starts_with(m))?;
    if year.len() != 4 {
        return None;
    }
    Date::new(year.parse().ok()?, month as u32 + 1, day.parse().ok()?)
}

/// `XI`, `Xl`, `X-1`, `25X-1` as OCR and typists print `X1`, `25X1`: the code with a digit.
fn ocr_exemption(w: &str) -> Option<String> {
    let (years, digit) = w.split_once('X')?;
    let digit = digit.strip_prefix('-').unwrap_or(digit);
    let digit = match digit {
        "I" | "L" => "1",
        d => d,
    };
    let fixed = format!("{years}X{digit}");
    (fixed != w).then_some(fixed)
}

/// An exemption code: `25X1`…`25X9`, `50X1-HUM`, `50X2-WMD`, `75X1`, and the older `X1`…`X8`.
fn is_exemption(w: &str) -> bool {
    let head = w.split('-').next().unwrap_or("");
    let (years, digit) = match head.split_once('X') {
        Some(parts) => parts,
        None => return false,
    };
    matches!(years, "" | "25" | "50" | "75")
        && digit.len() == 1
        && digit.bytes().all(|b| (b'1'..=b'9').contains(&b))
}

#[cfg(test)]
mod instruction_tests {
    use super::*;
    use crate::document::DeclassifyOn;

    #[test]
    fn instructions() {
        let d = |s| Date::parse_cable(s).unwrap();
        assert_eq!(
            read_instruction("20320108"),
            DeclassifyOn::Date(d("20320108"))
        );
        assert_eq!(
            read_instruction("05/02/2017"),
            DeclassifyOn::Date(d("05/02/2017"))
        );
        assert_eq!(
            read_instruction("25X1, 20621231"),
            DeclassifyOn::Exemption {
                code: "25X1".into(),
                date: Some(d("20621231"))
            }
        );
        assert_eq!(
            read_instruction("50X1-HUM"),
            DeclassifyOn::Exemption {
                code: "50X1-HUM".into(),
                date: None
            }
        );
        assert!(matches!(
            read_instruction("X1"),
            DeclassifyOn::Exemption { .. }
        ));
        assert_eq!(
            read_instruction("2 0 3 2 0 1 0 8"),
            DeclassifyOn::Date(d("20320108"))
        );
        assert_eq!(
            read_instruction("20 November. 2032"),
            DeclassifyOn::Date(d("20321120"))
        );
        assert_eq!(
            read_instruction("Xl"),
            DeclassifyOn::Exemption {
                code: "X1".into(),
                date: None
            }
        );
        assert_eq!(read_instruction("OADR"), DeclassifyOn::Oadr);
        assert_eq!(read_instruction("MR"), DeclassifyOn::ManualReview);
        assert_eq!(read_instruction("E2 IMPDET"), DeclassifyOn::Impdet);
        assert_eq!(
            read_instruction("RDS-4"),
            DeclassifyOn::Schedule("RDS-4".into())
        );
        assert_eq!(read_instruction("N/A"), DeclassifyOn::NotApplicable);
        assert_eq!(
            read_instruction("Completion of operation"),
            DeclassifyOn::Event("Completion of operation".into())
        );
    }
}
