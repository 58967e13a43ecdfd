//! Helpers for unit tests only. Hand-written matchers are checked against the regex or the
//! slower form they replace on every short string built from a few telling pieces.

/// Calls `check` with every concatenation of up to `max` of `pieces` (repetition allowed,
/// the empty string included), in lexicographic order of piece indices.
pub fn each_string(pieces: &[&str], max: usize, mut check: impl FnMut(&str)) {
    let mut stack: Vec<usize> = Vec::new();
    let mut text = String::new();
    loop {
        text.clear();
        text.extend(stack.iter().map(|&k| pieces[k]));
        check(&text);
        if stack.len() < max {
            stack.push(0);
            continue;
        }
        while let Some(k) = stack.pop() {
            if k + 1 < pieces.len() {
                stack.push(k + 1);
                break;
            }
        }
        if stack.is_empty() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_string_once() {
        let mut seen = Vec::new();
        super::each_string(&["a", "b"], 2, |s| seen.push(s.to_string()));
        assert_eq!(seen, ["", "a", "aa", "ab", "b", "ba", "bb"]);
    }
}
