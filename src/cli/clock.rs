//! The one place that reads the system clock: the default `--as-of` date. Everything
//! below the CLI takes "today" as an argument, so tests never depend on the clock.

use crate::document::Date;

/// Today's date in UTC.
pub fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days((secs / 86_400) as i64)
}
