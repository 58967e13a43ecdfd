//! The `addressee-names` matcher: personal names after `FOR` in a cable's addressee lines
//! (`EUR/NCE FOR ERIC FICHTE`, `NSC FOR CLARKE, RIEDEL AND POLLACK`,
//! `S/SRAP FOR AMBASSADOR HOLBROOKE`).
//!
//! Addressee lines mix offices and people, and no rule tells them apart for certain. The
//! matcher leans towards redacting: after each `FOR` it splits the list at commas and
//! `AND`, drops titles and office symbols, and takes the plain words that end each item as
//! a name. Words with a slash or a digit are offices (`NEA/ARP`, `DC-4A`); items holding a
//! handling word (`NOT FOR INTERNET DISTRIBUTION`, `FOR MISSING NOFORN CAPTION`) are not
//! addressees at all. An unknown office code such as `CSCE` is redacted: a reviewer
//! unredacts an office more safely than a leaked name is recalled.

/// Words that are titles, connectors or office symbols: not part of a name, but they may
/// precede one (`AMBASSADOR HOLBROOKE`, `EAP DAS BOYCE`, `DEP/ASST TO POTUS LBRAINARD`).
const NOT_NAME: &[&str] = &[
    // Titles and ranks.
    "ACTING",
    "ADM",
    "ADMIRAL",
    "ADVISER",
    "ADVISOR",
    "AMB",
    "AMBASSADOR",
    "ASSISTANT",
    "ASST",
    "CHARGE",
    "CHIEF",
    "COL",
    "CONSUL",
    "COORDINATOR",
    "COUNSELOR",
    "DAS",
    "DCM",
    "DEP",
    "DEPSEC",
    "DEPUTY",
    "DESK",
    "DIR",
    "DIRECTOR",
    "DR",
    "ECONOFF",
    "ENVOY",
    "FPA",
    "GEN",
    "GENERAL",
    "MR",
    "MRS",
    "MS",
    "OFFICER",
    "POLOFF",
    "POTUS",
    "SEC",
    "SECDEF",
    "SECRETARY",
    "SECSTATE",
    "SENIOR",
    "SPECIAL",
    "UNDER",
    "VPOTUS",
    // Connectors.
    "ATTN",
    "OF",
    "THE",
    "TO",
    // Offices and agencies.
    "AF",
    "AID",
    "CA",
    "CIA",
    "COMMERCE",
    "CT",
    "D",
    "DHS",
    "DIA",
    "DOD",
    "DOE",
    "DOJ",
    "DRL",
    "DS",
    "E",
    "EAP",
    "EB",
    "EEB",
    "EUR",
    "FAS",
    "FBI",
    "G",
    "H",
    "INL",
    "INR",
    "IO",
    "ISN",
    "ITA",
    "JCS",
    "L",
    "M",
    "NEA",
    "NSC",
    "OASIA",
    "OES",
    "OSD",
    "P",
    "PM",
    "PRM",
    "R",
    "S",
    "SA",
    "SCA",
    "T",
    "TREASURY",
    "USAID",
    "USDA",
    "USEU",
    "USNATO",
    "USTR",
    "USUN",
    "WHA",
];

/// Words that name what an office does or is (`OFFICE OF POLICY AND INTERNATIONAL AFFAIRS`,
/// `CRIMINAL DIVISION`, `OSD FOR POLICY`), and are not surnames. A name-like run made only
/// of them is an office, and they are trimmed from the front of a run (`SECRETARY OF ENERGY
/// BODMAN`). A run that mixes them with other words stays whole (`STU CHEMTOB IN ANTI-TRUST
/// DIVISION`): the person may be anywhere in it. Without them the matcher redacted `POLICY` in
/// an addressee line and the leak check then refused the release, the word being in the text.
const OFFICE_WORDS: &[&str] = &[
    "AFFAIRS",
    "AGENCY",
    "ANALYSIS",
    "BUREAU",
    "COMMAND",
    "COMMISSION",
    "COMMITTEE",
    "COUNCIL",
    "CRIMINAL",
    "DEFENCE",
    "DEFENSE",
    "DEPARTMENT",
    "DIRECTORATE",
    "DIVISION",
    "ECONOMIC",
    "ENERGY",
    "ENFORCEMENT",
    "HOMELAND",
    "INTELLIGENCE",
    "INTERNATIONAL",
    "MINISTRY",
    "NUCLEAR",
    "OFFICE",
    "OFFICES",
    "OPERATIONS",
    "POLICY",
    "POLITICAL",
    "PROGRAMS",
    "RESEARCH",
    "SECTION",
    "SECURITY",
    "STAFF",
    "UNIT",
];

/// Words that mark a `FOR` phrase as handling text, not an addressee.
const NOT_ADDRESSEE: &[&str] = &[
    "CAPTION",
    "COPY",
    "CORRECTED",
    "DISTRIBUTION",
    "INFORMATION",
    "INTERNET",
    "MISSING",
    "NODIS",
    "NOFORN",
    "RELEASE",
    "SIPDIS",
];

/// Words that end a `FOR` list: routing verbs that start the next instruction.
const ENDS_LIST: &[&str] = &["PASS", "DEPT", "STATE", "ALSO", "INFO", "PLEASE"];

/// Byte spans of the personal names in one addressee line.
pub fn addressee_names(text: &str) -> Vec<(usize, usize)> {
    let tokens = tokenize(text);
    let is_for = |i: usize| tokens.get(i).is_some_and(|t| core(t.2) == "FOR");
    let mut spans = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_for(i) || (i > 0 && core(tokens[i - 1].2) == "NOT") {
            i += 1;
            continue;
        }
        // The list runs until the next instruction: a routing word, or the addressee of
        // the next `FOR` (`KOLKER, PARIS FOR FENDRICK`).
        let mut j = i + 1;
        while j < tokens.len()
            && !is_for(j)
            && !is_for(j + 1)
            && !ENDS_LIST.contains(&core(tokens[j].2).as_str())
        {
            j += 1;
        }
        let mut item: Vec<&(usize, usize, &str)> = Vec::new();
        for t in &tokens[i + 1..j] {
            if core(t.2) == "AND" || t.2 == "&" {
                spans.extend(name_in(&item));
                item.clear();
                continue;
            }
            item.push(t);
            if t.2.ends_with([',', ';']) {
                spans.extend(name_in(&item));
                item.clear();
            }
        }
        spans.extend(name_in(&item));
        i = j;
    }
    spans
}

/// Whitespace-separated tokens with their byte spans.
fn tokenize(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), &text[s..]));
    }
    out
}

/// A token upper-cased without its trailing punctuation.
fn core(token: &str) -> String {
    token
        .trim_end_matches([',', ';', ':', '.'])
        .to_ascii_uppercase()
}

fn is_name_word(token: &str) -> bool {
    let word = token.trim_end_matches([',', ';', ':', '.']);
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphabetic() || matches!(c, '\'' | '.' | '-'))
        && !NOT_NAME.contains(&core(word).as_str())
}

/// The name that ends one list item: its trailing run of name words.
fn name_in(item: &[&(usize, usize, &str)]) -> Option<(usize, usize)> {
    if item
        .iter()
        .any(|t| NOT_ADDRESSEE.contains(&core(t.2).as_str()))
    {
        return None;
    }
    let last = item.last()?;
    if !is_name_word(last.2) {
        return None;
    }
    let run = item.iter().rev().take_while(|t| is_name_word(t.2)).count();
    let is_office = |t: &&&(usize, usize, &str)| OFFICE_WORDS.contains(&core(t.2).as_str());
    let first = item[item.len() - run..].iter().find(|t| !is_office(t))?;
    let word_end = last.0 + last.2.trim_end_matches([',', ';', ':']).len();
    Some((first.0, word_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<&str> {
        addressee_names(line)
            .into_iter()
            .map(|(s, e)| &line[s..e])
            .collect()
    }

    #[test]
    fn names_after_for() {
        assert_eq!(names("EUR/NCE FOR ERIC FICHTE"), ["ERIC FICHTE"]);
        assert_eq!(
            names("NSC FOR CLARKE, RIEDEL AND POLLACK"),
            ["CLARKE", "RIEDEL", "POLLACK"]
        );
        assert_eq!(names("PARIS FOR O'FRIEL"), ["O'FRIEL"]);
        assert_eq!(
            names("LONDON FOR KOLKER, PARIS FOR FENDRICK"),
            ["KOLKER", "FENDRICK"]
        );
        assert_eq!(
            names("Paris for waller, london for tsou"),
            ["waller", "tsou"]
        );
        assert_eq!(names("S/SRAP FOR AMBASSADOR HOLBROOKE"), ["HOLBROOKE"]);
        assert_eq!(
            names("NSC FOR SENIOR AFRICA DIRECTOR GAYLE SMITH"),
            ["GAYLE SMITH"]
        );
        assert_eq!(
            names("WHITE HOUSE FOR DEP/ASST TO POTUS LBRAINARD"),
            ["LBRAINARD"]
        );
        assert_eq!(
            names("STATE ALSO FOR EAP DAS BOYCE AND EAP/BCLTV"),
            ["BOYCE"]
        );
        assert_eq!(
            names("DEPT PASS USTR FOR KATHERINE KALUTKIEWICZ AND TANUJA GARDE DEPT PASS USPTO"),
            ["KATHERINE KALUTKIEWICZ", "TANUJA GARDE"]
        );
        // Office words before a name are trimmed; mixed with it, the whole run is kept.
        assert_eq!(
            names("SANTO DOMINGO FOR SECRETARY OF ENERGY BODMAN; RIO FOR"),
            ["BODMAN"]
        );
        assert_eq!(
            names("JUSTICE FOR STU CHEMTOB IN ANTI-TRUST DIVISION; TREASURY"),
            ["STU CHEMTOB IN ANTI-TRUST DIVISION"]
        );
        assert_eq!(
            names("INTERIOR FOR DIR INT AFFAIRS: JANE ROE"),
            ["INT AFFAIRS: JANE ROE"]
        );
    }

    #[test]
    fn offices_and_handling_lines_are_not_names() {
        for line in [
            "DEPT FOR NEA AND NEA/ARP",
            "DEPT FOR: DS/IP/AF, DS/IP/ITA",
            "STATE FOR INR/R/MR, EUR/PAPD, EUR/PPA, EUR/CE, INR/EUC, INR/P,",
            "SECDEF FOR USDP/ISA/DSAA, DIA FOR DC-4A",
            "STATE ALSO FOR P, E, EB, DRL, OES, INR/EAP, INR/IL/B",
            "NOT FOR INTERNET DISTRIBUTION",
            "C O R R E C T E D C O P Y FOR MISSING NOFORN CAPTION",
            "DEPT ALSO FOR S/NIS (PRESEL)",
            "DEPT PASS TO ATF",
            "DEPT FOR WHA/CEN, WHA/PPC, INL/LP, AND PM; OSD FOR POLICY;",
            "HOMELAND SECURITY FOR OFFICES OF POLICY AND INTERNATIONAL",
            "JUSTICE FOR CRIMINAL DIVISION, OFFICE OF INTERNATIONAL",
            "DOE FOR THE OFFICE OF POLICY AND INTERNATIONAL AFFAIRS, AND",
        ] {
            assert!(names(line).is_empty(), "{line}: {:?}", names(line));
        }
    }
}
