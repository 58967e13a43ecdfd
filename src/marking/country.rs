//! Country codes for REL TO lists: normalises the names cables actually use (`Spain`, `UK`,
//! `Pak`) to trigraphs, and orders a list the way the Register does (USA first, then
//! trigraphs, then tetragraphs and organisations, each alphabetically).

/// Names and short forms seen in cables, mapped to their trigraph. Not a full GENC table:
/// an unlisted name is kept upper-cased, which still reads correctly and sorts stably.
const NAMES: &[(&str, &str)] = &[
    ("AFGHANISTAN", "AFG"),
    ("ARMENIA", "ARM"),
    ("AUSTRALIA", "AUS"),
    ("AUS", "AUS"),
    ("BELIZE", "BLZ"),
    ("BRITAIN", "GBR"),
    ("CANADA", "CAN"),
    ("CAN", "CAN"),
    ("CHINA", "CHN"),
    ("CH", "CHN"),
    ("FIVE EYES", "FVEY"),
    ("FRANCE", "FRA"),
    ("GERMANY", "DEU"),
    ("GBR", "GBR"),
    ("ISRAEL", "ISR"),
    ("ITALY", "ITA"),
    ("JAPAN", "JPN"),
    ("KENYA", "KEN"),
    ("KOREA", "KOR"),
    ("SOUTH KOREA", "KOR"),
    ("LATVIA", "LVA"),
    ("LIBYA", "LBY"),
    ("NEW ZEALAND", "NZL"),
    ("PAK", "PAK"),
    ("PAKISTAN", "PAK"),
    ("PANAMA", "PAN"),
    ("RUSSIA", "RUS"),
    ("SAUDI ARABIA", "SAU"),
    ("SPAIN", "ESP"),
    ("SYRIA", "SYR"),
    ("UK", "GBR"),
    ("UNITED KINGDOM", "GBR"),
    ("UKRAINE", "UKR"),
    ("US", "USA"),
    ("USA", "USA"),
    ("UZBEKISTAN", "UZB"),
];

/// Normalises one list entry; returns the code and whether it had to be translated from a
/// name (a legacy form worth a lint).
pub fn normalize(entry: &str) -> (String, bool) {
    let up = entry.trim().to_ascii_uppercase();
    if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == up) {
        return (code.to_string(), *code != entry.trim());
    }
    (up, false)
}

/// Register order: USA, then three-letter codes, then longer codes, alphabetical in each.
pub fn sort_list(list: &mut Vec<String>) {
    list.sort_by(|a, b| {
        let rank = |s: &str| match (s == "USA", s.len() == 3) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => 2,
        };
        rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
    });
    list.dedup();
}

/// Members of the tetragraphs that matter for REL TO roll-up.
pub fn expand(code: &str) -> Option<&'static [&'static str]> {
    match code {
        "FVEY" => Some(&["AUS", "CAN", "GBR", "NZL", "USA"]),
        "ACGU" => Some(&["AUS", "CAN", "GBR", "USA"]),
        "TEYE" => Some(&["AUS", "GBR", "USA"]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_trigraphs() {
        assert_eq!(normalize("Spain"), ("ESP".to_string(), true));
        assert_eq!(normalize("Pak"), ("PAK".to_string(), true));
        assert_eq!(normalize("GBR"), ("GBR".to_string(), false));
        assert_eq!(normalize("NATO"), ("NATO".to_string(), false));
    }

    #[test]
    fn usa_first_then_trigraphs_then_tetragraphs() {
        let mut list = vec!["NATO".into(), "GBR".into(), "USA".into(), "AUS".into()];
        sort_list(&mut list);
        assert_eq!(list, ["USA", "AUS", "GBR", "NATO"]);
    }
}
