//! Arguments every command shares: the global flags (`--color`, `--quiet`) and the one
//! parser for each value that more than one command takes (`--as-of`, one-line values).
//! The global settings are resolved once, in `cli::main`, and read through [`settings`].

use crate::document::Date;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::sync::OnceLock;

/// Flags taken before or after any subcommand.
#[derive(Args, Clone, Copy, Debug, Default)]
pub struct GlobalArgs {
    /// Colour in terminal output: auto (stdout is a terminal and NO_COLOR is unset or
    /// empty), always, never.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only results and errors: no notes, warnings or progress on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// The global settings of this run, resolved.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    pub color: bool,
    pub quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

impl GlobalArgs {
    /// Resolves the flags against the environment and keeps them for the run. An explicit
    /// `--color always` wins over `NO_COLOR`, as no-color.org asks.
    pub fn install(self) {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        let _ = SETTINGS.set(Settings {
            color,
            quiet: self.quiet,
        });
    }
}

/// This run's settings (the defaults, colour off, before [`GlobalArgs::install`]).
pub fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// `--as-of YYYY-MM-DD`: a real calendar date, strictly in ISO form.
pub fn as_of(s: &str) -> Result<Date, String> {
    Date::parse_iso(s)
        .ok_or_else(|| "expected a calendar date as YYYY-MM-DD, e.g. --as-of 2026-01-01".into())
}

/// A value printed as (part of) one line of a release: a control character would break
/// the line or inject another into the release header, as in a policy's banner.
pub fn one_line(s: &str) -> Result<String, String> {
    match s.chars().find(|c| c.is_control()) {
        None => Ok(s.to_string()),
        Some(c) => Err(format!(
            "holds the control character U+{:04X}; it is printed as one line of the release",
            u32::from(c)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_is_strict() {
        assert!(as_of("2026-01-01").is_ok());
        assert!(as_of("2026-1-1").is_err());
        assert!(as_of("2026-02-30").is_err());
        assert!(as_of("yesterday").is_err());
    }

    #[test]
    fn one_line_refuses_control_characters() {
        assert_eq!(one_line("F-2026-1").as_deref(), Ok("F-2026-1"));
        assert!(one_line("a\nb").unwrap_err().contains("U+000A"));
    }
}
