//! The reader against lopdf's on written maps, each showing one of lopdf's rules.

use lopdf::Encoding;

use super::ToUnicode;

fn lopdf(text: &[u8]) -> Option<Encoding<'static>> {
    ToUnicode::lopdf_reading(text)
}

fn cmap(body: &str) -> Vec<u8> {
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n{body}endcmap\n\
         CMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    .into_bytes()
}

/// Both readers read the map, and decode every one- and two-byte string and `more` alike;
/// the text of `shown` is returned.
fn agree(text: &[u8], more: &[&[u8]], shown: &[u8]) -> String {
    let theirs = lopdf(text).expect("lopdf reads the map");
    let ours = ToUnicode::read(text).expect("declass reads the map");
    let mut strings: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    strings.extend((0..=u16::MAX).map(|c| c.to_be_bytes().to_vec()));
    strings.extend(more.iter().map(|s| s.to_vec()));
    strings.push(shown.to_vec());
    for s in &strings {
        assert_eq!(
            theirs.bytes_to_string(s).ok(),
            Some(ours.decode(s)),
            "{s:02X?}"
        );
    }
    ours.decode(shown)
}

#[test]
fn chars_and_ranges_decode_as_lopdf_decodes_them() {
    let text = cmap(
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
         2 beginbfchar\n<0003> <0020>\n<0010> <0066 0069>\nendbfchar\n\
         2 beginbfrange\n<0024> <0030> <0041>\n<0040> <0042> [<0061> <0062 0063>]\nendbfrange\n",
    );
    let got = agree(
        &text,
        &[],
        &[0, 0x24, 0, 3, 0, 0x10, 0, 0x41, 0, 0x42, 0, 0x99],
    );
    assert_eq!(got, "A fibc\u{FFFD}\u{FFFD}");
}

#[test]
fn a_later_mapping_overwrites_and_shifts_what_it_splits() {
    // lopdf counts a range's text from the start of the range as it stands after the split.
    let text = cmap(
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
         1 beginbfrange\n<01> <05> <00410042>\nendbfrange\n\
         1 beginbfchar\n<01> <0058>\nendbfchar\n",
    );
    assert_eq!(agree(&text, &[], &[1, 2, 3]), "XABAC");
}

#[test]
fn touching_ranges_with_one_target_are_one_range() {
    let text = cmap(
        "1 beginbfrange\n<01> <02> <00410042>\n<03> <04> <00410042>\n<10> <12> [<0041>]\n\
         <20> <23> [<0041> <0042>]\nendbfrange\n",
    );
    let got = agree(&text, &[], &[4, 0x11, 0x23]);
    assert_eq!(got, "AEB\u{FFFD}");
    assert_eq!(ToUnicode::read(&text).unwrap().ranges(1).len(), 3);
}

#[test]
fn codespace_ranges_decide_where_codes_end() {
    let text = cmap(
        "2 begincodespacerange\n<00> <80>\n<8140> <9FFC>\nendcodespacerange\n\
         1 beginbfchar\n<41> <0041>\nendbfchar\n1 beginbfrange\n<8140> <8142> <3000>\nendbfrange\n",
    );
    let shown = [0x41, 0x81, 0x41, 0x90, 0x41, 0xA0, 0x41, 0x81];
    assert_eq!(
        agree(&text, &[&[0x81, 0x40, 0x41, 0x42, 0x43, 0x44]], &shown),
        "A\u{3001}\u{FFFD}\u{FFFD}"
    );
}

#[test]
fn without_codespace_codes_end_where_a_mapping_holds_them() {
    let text = cmap("2 beginbfchar\n<01> <0041>\n<0203> <0042>\nendbfchar\n");
    let five: &[u8] = &[2, 4, 5, 6, 7, 1];
    assert_eq!(agree(&text, &[five], &[1, 2, 3, 1]), "ABA");
}

#[test]
fn a_byte_order_mark_at_the_start_of_the_text_chooses_the_encoding() {
    let text = cmap(
        "4 beginbfchar\n<01> <FEFF>\n<02> <0041>\n<03> <FFFE>\n<04> <EFBB>\n<05> <BF41>\n<06> <D800>\nendbfchar\n",
    );
    let more: &[&[u8]] = &[&[3, 2], &[4, 5, 2], &[6, 2], &[2, 6]];
    assert_eq!(agree(&text, more, &[1, 2]), "A");
}

#[test]
fn spelling_variants_lopdf_takes_are_read() {
    let text = b"\xEF\xBB\xBF%!PS-Adobe-3.0 Resource-CMap\r\n/CIDInit/Procset findresource begin\r\
        12 dict begin\rbegincmap\r/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\r\
        /CMapName/Adobe-Identity-UCS def /CMapType 2 def\r/CMapVersion 1.5 def\n/XUID [1 2 3] def\n\
        1 begincodespacerange\n<0000><ffff>\nendcodespacerange\n\
        1 beginbfrange\n<0001><0003><0061>  % a comment\n\
        endbfrange\n0 beginbfchar\nendbfchar\nendcmap CMapName currentdict/CMap defineresource pop end end trailing";
    assert_eq!(agree(text, &[], &[0, 1, 0, 3]), "ac");
}

#[test]
fn a_cid_system_info_written_as_dict_dup_is_read() {
    let text = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CIDSystemInfo 3 dict dup begin\n  /Registry (A) def\n  /Ordering (B) def\n  /Supplement 0 def\nend def\n\
        /CMapName /X def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
        1 beginbfchar\n<01> <0041>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    assert_eq!(agree(text, &[], &[1]), "A");
}

#[test]
fn what_is_outside_the_subset_is_declined_and_lopdf_asked() {
    // A comment inside `CIDSystemInfo`: lopdf reads it, this reader leaves it to lopdf.
    let text = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CIDSystemInfo << /Registry (A) % note\n/Ordering (B) /Supplement 0 >> def\n\
        /CMapName /X def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
        1 beginbfchar\n<01> <0041>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    assert!(lopdf(text).is_some());
    assert!(ToUnicode::read(text).is_none());
    // Refused by both: a range that ends before it starts, a line break inside an array,
    // mismatched code lengths, eight entries before the sections.
    for body in [
        "1 beginbfrange\n<05> <01> <0041>\nendbfrange\n",
        "1 beginbfrange\n<01> <02> [<0041>\n<0042>]\nendbfrange\n",
        "1 beginbfrange\n<01> <0002> <0041>\nendbfrange\n",
        "/WMode 0 def\n/WMode 0 def\n/WMode 0 def\n/WMode 0 def\n/WMode 0 def\n\
         1 beginbfchar\n<01> <0041>\nendbfchar\n",
    ] {
        let text = cmap(body);
        assert!(lopdf(&text).is_none(), "{body}");
        assert!(ToUnicode::read(&text).is_none(), "{body}");
    }
}
