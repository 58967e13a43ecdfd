//! The policies shipped in `policies/`, built into the binary so that a release works with
//! no `--policy`. Each file is commented line by line and doubles as documentation.

use super::PolicySource;

/// The policy used when none is given.
pub const DEFAULT_POLICY: &str = "foia-release";

/// Name and text of every shipped policy, in `policy list` order.
const SHIPPED: &[(&str, &str)] = &[
    (
        "foia-release",
        include_str!("../../policies/foia-release.yaml"),
    ),
    (
        "declassify-expired",
        include_str!("../../policies/declassify-expired.yaml"),
    ),
    ("public-web", include_str!("../../policies/public-web.yaml")),
    (
        "internal-sbu",
        include_str!("../../policies/internal-sbu.yaml"),
    ),
];

/// Every shipped policy as a source named `builtin:NAME`.
pub fn shipped_sources() -> Vec<PolicySource> {
    SHIPPED
        .iter()
        .map(|(name, text)| PolicySource::new(format!("builtin:{name}"), *text))
        .collect()
}

/// How many policies are shipped.
pub const COUNT: usize = SHIPPED.len();

/// The position of a shipped policy in [`shipped_sources`] by name, with or without the
/// `builtin:` prefix.
pub fn index(name: &str) -> Option<usize> {
    let name = name.strip_prefix("builtin:").unwrap_or(name);
    SHIPPED.iter().position(|(n, _)| *n == name)
}

/// A shipped policy by name, with or without the `builtin:` prefix.
pub fn source(name: &str) -> Option<PolicySource> {
    let name = name.strip_prefix("builtin:").unwrap_or(name);
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| PolicySource::new(format!("builtin:{n}"), *text))
}
