//! Exit codes, decided in one place: every command returns an [`Exit`] or an error, and
//! [`Exit::of_error`] maps an error to its code. The table (also in docs/cli.md):
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | done: no finding at or above `--fail-on`, no leak, every file processed |
//! | 1 | the job ran, but something needs attention: audit findings at or above `--fail-on`, a leak or mismatch found by `verify`, or some input files failed (unreadable, binary, too large, not parsable, output not written); the other files were done |
//! | 2 | the job could not run as asked: bad arguments, an invalid policy or config, an unreadable policy, config or key, a path named on the command line that does not exist, an output plan refused; nothing was done. Also: an input that claims to be a PDF but is encrypted, damaged or not one (the other files are still done) |
//!
//! A missing path is a `2` for every command, alone or among other inputs: the job asked
//! for is not the one that would run, so nothing is done. A file that exists but cannot
//! be read, decoded or parsed is a failed file, a `1`, and the other inputs go on.

use std::process::ExitCode;

/// What a run of `declass` ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything done; no finding at or above the failure threshold.
    Success = 0,
    /// The job ran, but something needs attention: findings at or above `--fail-on`, a
    /// leak found by `verify`, or some files failed.
    Findings = 1,
    /// The job could not run: bad arguments, an invalid policy or config, a missing path.
    Usage = 2,
}

impl Exit {
    /// The exit code of a run that ended in `e`: a closed pipe (`declass parse … | head`)
    /// is a normal end, anything else means the job could not run.
    pub fn of_error(e: &anyhow::Error) -> Exit {
        let broken_pipe = e.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            Exit::Success
        } else {
            Exit::Usage
        }
    }

    /// The exit code of a batch with `unreadable` of its `failed` files not readable as
    /// what they claim to be (an encrypted, damaged or fake PDF): 2 when any is, so a
    /// script cannot take a half-read batch for a reviewed one; else as
    /// [`Exit::files_failed`].
    pub fn of_batch(failed: usize, unreadable: usize) -> Exit {
        if unreadable > 0 {
            Exit::Usage
        } else {
            Exit::files_failed(failed)
        }
    }

    /// The exit code of a batch: 1 when any file failed, else 0.
    pub fn files_failed(failed: usize) -> Exit {
        if failed > 0 {
            Exit::Findings
        } else {
            Exit::Success
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_a_normal_end() {
        let pipe = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the report");
        assert_eq!(Exit::of_error(&pipe), Exit::Success);
        assert_eq!(Exit::of_error(&anyhow::anyhow!("x: bad")), Exit::Usage);
        assert_eq!(Exit::files_failed(0), Exit::Success);
        assert_eq!(Exit::files_failed(3), Exit::Findings);
        assert_eq!(Exit::of_batch(3, 1), Exit::Usage);
        assert_eq!(Exit::of_batch(3, 0), Exit::Findings);
    }
}
