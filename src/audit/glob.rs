//! Path globs for the config's `include` and `exclude`: `*` (any run of characters within
//! one path component), `?` (one character), `**` (any number of whole components).
//! A pattern without `/` matches at any depth (`*.md`, `drafts`); a pattern that matches
//! a directory matches everything under it.

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    raw: String,
    parts: Vec<String>,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let trimmed = pattern
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/');
        let mut parts: Vec<String> = trimmed
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        if !trimmed.contains('/') {
            parts.insert(0, "**".into());
        }
        Glob {
            raw: pattern.to_string(),
            parts,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Does the pattern match `path` (components separated by `/`), or a directory above it?
    pub fn matches(&self, path: &str) -> bool {
        let comps: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        let pats: Vec<&str> = self.parts.iter().map(String::as_str).collect();
        (1..=comps.len()).any(|n| match_parts(&pats, &comps[..n]))
    }
}

fn match_parts(pats: &[&str], comps: &[&str]) -> bool {
    match pats.split_first() {
        None => comps.is_empty(),
        Some((&"**", rest)) => (0..=comps.len()).any(|k| match_parts(rest, &comps[k..])),
        Some((p, rest)) => {
            !comps.is_empty()
                && match_component(p.as_bytes(), comps[0].as_bytes())
                && match_parts(rest, &comps[1..])
        }
    }
}

/// `*` and `?` within one component (bytes; `?` matches one byte of a multi-byte character
/// only in part, which path components in a repository of cables do not contain).
fn match_component(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|k| match_component(rest, &s[k..])),
        Some((b'?', rest)) => !s.is_empty() && match_component(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && match_component(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(p: &str, path: &str) -> bool {
        Glob::new(p).matches(path)
    }

    #[test]
    fn stars_and_questions() {
        assert!(m("*.txt", "a/b/07PRAGUE486.txt"));
        assert!(!m("*.txt", "a/b/notes.md"));
        assert!(m("cables/??PRAGUE*.txt", "cables/07PRAGUE486.txt"));
        assert!(!m("cables/*.txt", "cables/sub/x.txt"));
        assert!(m("cables/**/*.txt", "cables/sub/deeper/x.txt"));
        assert!(m("cables/**/*.txt", "cables/x.txt"));
    }

    #[test]
    fn directories_match_what_is_under_them() {
        assert!(m("drafts", "docs/drafts/x.txt"));
        assert!(m("docs/drafts/", "docs/drafts/x.txt"));
        assert!(!m("docs/drafts", "other/docs/drafts/x.txt"));
        assert!(m("**/drafts", "other/docs/drafts/x.txt"));
        assert!(m("./samples", "samples/x.txt"));
    }
}
