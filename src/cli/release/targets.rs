//! Where `declass release` puts each output, and the checks made before anything is
//! written: `--out-dir` and `-o` sane, no output inside an input tree, and the job's
//! output plan (no two outputs on one file, none over a file the job reads). Part of the
//! release command; the plan itself is the library's ([`crate::output::plan`]).

use super::ReleaseArgs;
use crate::cli::files::{Input, Inputs};
use crate::job::Format;
use crate::output::{self, plan};
use anyhow::bail;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// `--out-dir` must be a directory (or not exist yet), and `-o` must not be one.
pub(super) fn check_out_dir(args: &ReleaseArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.out_dir
        && dir.exists()
        && !dir.is_dir()
    {
        bail!(
            "{}: --out-dir names a file, not a directory; give a directory (it is created if missing)",
            dir.display()
        );
    }
    if let Some(out) = &args.output
        && out.is_dir()
    {
        bail!(
            "{}: is a directory; -o takes a file name (use --out-dir DIR to write releases under a directory)",
            out.display()
        );
    }
    Ok(())
}

/// The layout under `--out-dir`: each directory argument's name, when there are several,
/// so that their files never meet (`o/a/x.release.txt`, `o/b/x.release.txt`). Two
/// arguments with the same name are told apart by a number (`a`, `a-2`).
pub(super) fn layout(dir: &Path, args: &ReleaseArgs, format: Format) -> plan::Layout {
    let dirs: Vec<&PathBuf> = args.inputs.iter().filter(|a| a.is_dir()).collect();
    let mut roots: Vec<(std::sync::Arc<Path>, std::ffi::OsString)> = Vec::new();
    if dirs.len() > 1 {
        for arg in dirs {
            let name = arg
                .file_name()
                .map(std::ffi::OsStr::to_os_string)
                .or_else(|| {
                    arg.canonicalize()
                        .ok()
                        .and_then(|c| c.file_name().map(std::ffi::OsStr::to_os_string))
                })
                .unwrap_or_else(|| "root".into());
            let mut unique = name.clone();
            let mut n = 1;
            while roots.iter().any(|(_, taken)| *taken == unique) {
                n += 1;
                unique = name.clone();
                unique.push(format!("-{n}"));
            }
            roots.push((std::sync::Arc::from(arg.as_path()), unique));
        }
    }
    plan::Layout {
        dir: dir.to_path_buf(),
        extension: format.extension(),
        roots,
    }
}

/// Where each input's outputs go.
pub(super) struct Targets<'a> {
    pub(super) args: &'a ReleaseArgs,
    pub(super) layout: Option<&'a plan::Layout>,
}

impl Targets<'_> {
    /// The release of `input`: `-o`, under `--out-dir`, or `None` for stdout.
    pub(super) fn release(&self, input: &Input) -> Option<PathBuf> {
        match (&self.args.output, self.layout) {
            (Some(o), _) => Some(o.clone()),
            (None, Some(layout)) => Some(match input {
                Input::Stdin => layout.release(None, None),
                Input::File { path, root } => layout.release(Some(path), root.as_ref()),
            }),
            (None, None) => None,
        }
    }

    /// The manifest written with a release, as its pair: beside it under `--out-dir`
    /// without `--manifest`, or `--manifest` with `-o`.
    pub(super) fn manifest(&self, release: &Path) -> Option<PathBuf> {
        match (&self.args.output, &self.args.out_dir, &self.args.manifest) {
            (None, Some(_), None) => Some(plan::manifest_beside(release)),
            (Some(_), _, Some(m)) => Some(m.clone()),
            _ => None,
        }
    }

    /// Whether `--manifest` gathers every manifest, written once the batch is done.
    pub(super) fn combined_manifest(&self) -> bool {
        self.args.manifest.is_some() && self.args.output.is_none()
    }
}

/// The output plan: every output against every other and against every file read.
pub(super) fn check_plan(
    args: &ReleaseArgs,
    inputs: &Inputs,
    targets: &Targets<'_>,
) -> anyhow::Result<()> {
    let to_files = args.output.is_some() || args.out_dir.is_some();
    let paired = to_files && !targets.combined_manifest() && args.manifest.is_some()
        || args.out_dir.is_some() && args.manifest.is_none();
    let per_input = if paired { 2 } else { 1 };
    let written = if to_files {
        inputs.len() * per_input
    } else {
        0
    };
    let combined = usize::from(targets.combined_manifest());
    let log = usize::from(args.log.is_some());
    let output = |k: usize| {
        if k == written + combined {
            let path = args.log.clone().unwrap_or_default();
            return (path, plan::Output::Log);
        }
        if k == written {
            let path = args.manifest.clone().unwrap_or_default();
            return (path, plan::Output::Combined);
        }
        let i = k / per_input;
        let release = targets
            .release(&inputs.get(i))
            .expect("an output path for each input");
        if k.is_multiple_of(per_input) {
            (release, plan::Output::Release(i))
        } else {
            let manifest = targets.manifest(&release).expect("a manifest path");
            (manifest, plan::Output::Manifest(i))
        }
    };
    let policy = args
        .policy
        .policy
        .as_deref()
        .filter(|n| !n.starts_with("builtin:") && Path::new(n).exists())
        .map(|p| (PathBuf::from(p), plan::Read::Policy));
    let key = args.digest_key.clone().map(|k| (k, plan::Read::DigestKey));
    let reads = policy.into_iter().chain(key).chain(
        inputs
            .iter()
            .enumerate()
            .filter_map(|(i, input)| Some((input.path()?.to_path_buf(), plan::Read::Input(i)))),
    );
    plan::check(&plan::RealDisk, written + combined + log, output, reads)
        .map_err(|c| anyhow::anyhow!("{}", c.describe(|i| inputs.get(i).display())))
}

/// Refuses an output directory inside an input directory.
pub(super) fn check_out_dir_outside_inputs(args: &ReleaseArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.out_dir {
        for arg in &args.inputs {
            if arg.is_dir() && (output::inside(dir, arg) || same_dir(dir, arg)) {
                bail!(
                    "refusing to write releases inside the input tree {}: give an --out-dir outside it",
                    arg.display()
                );
            }
        }
    }
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Creates every output directory once before the batch, so that workers need not ask
/// for each file, and recovers what killed runs left in it. Returns those that exist; a
/// worker whose directory is missing tries again itself, and reports the error for its
/// file.
pub(super) fn make_out_dirs(
    args: &ReleaseArgs,
    inputs: &Inputs,
    targets: &Targets<'_>,
) -> HashSet<PathBuf> {
    if let Some(o) = &args.output {
        output::recover(&output::parent_of(o));
        return HashSet::new();
    }
    if args.out_dir.is_none() {
        return HashSet::new();
    }
    // Inputs come grouped by directory, so skipping repeats as they come keeps this list
    // at one entry per directory rather than one per input.
    let mut parents: Vec<PathBuf> = Vec::new();
    for input in inputs.iter() {
        let Some(out) = targets.release(&input) else {
            continue;
        };
        let Some(parent) = out.parent() else { continue };
        if parents.last().map(PathBuf::as_path) != Some(parent) {
            parents.push(parent.to_path_buf());
        }
    }
    parents.sort();
    parents.dedup();
    parents
        .into_iter()
        .filter(|p| std::fs::create_dir_all(p).is_ok())
        .inspect(|p| output::recover(p))
        .collect()
}
