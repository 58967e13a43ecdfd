//! Exit codes, converted in one place.

use std::process::ExitCode;

/// What a run of `declass` ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything done; no finding at or above the failure threshold.
    Success = 0,
    /// The job ran, but something needs attention: findings at or above `--fail-on`, a
    /// leak found by `verify`, or some files of a batch failed.
    Findings = 1,
    /// The job could not run: bad arguments, an invalid policy or config, unreadable input.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}
