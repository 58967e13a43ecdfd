use super::layout::{CHAR_WIDTH, COLS, LEADING, MARGIN_X, PAGE_WIDTH};
use super::*;

fn text(s: &str) -> Block {
    Block::Line(vec![Span::Text(s.into())])
}

fn cable(blocks: Vec<Block>) -> PdfInput {
    PdfInput {
        header_marking: "UNCLASSIFIED".into(),
        header_ids: "Case No. F-2026-00001  Doc No. C0001  Date: 01/01/2026".into(),
        footer_stamp: "RELEASE IN PART B1, 1.4(B), 1.4(D)".into(),
        declass_block: vec![],
        blocks,
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every decompressed page content stream of a rendered file.
fn content_streams(bytes: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.get_pages()
        .into_values()
        .map(|id| doc.get_page_content(id))
        .collect()
}

/// The strings shown by Tj in a content stream, decoded.
fn shown_strings(content: &[u8]) -> Vec<String> {
    lopdf::content::Content::decode(content)
        .unwrap()
        .operations
        .iter()
        .filter(|op| op.operator == "Tj")
        .map(|op| match &op.operands[0] {
            lopdf::Object::String(b, _) => winansi::decode(b),
            other => panic!("unexpected operand {other:?}"),
        })
        .collect()
}

fn lorem(words: usize) -> String {
    (0..words)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn wrapping_never_cuts_text() {
    let long_word = "X".repeat(200);
    let paragraph = format!("¶2. (SBU) {} {long_word} tail end.", lorem(250));
    let out = render(&cable(vec![text(&paragraph)])).unwrap();
    let pages = extract(&out.bytes).unwrap().pages;
    assert_eq!(pages.len(), out.pages);
    // Body rows only: drop the header (first line) and footer (last two lines) of each page.
    let body: String = pages
        .iter()
        .map(|p| {
            let lines: Vec<&str> = p.lines().collect();
            lines[1..lines.len() - 2].join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let words: Vec<&str> = body.split_whitespace().collect();
    let expected: Vec<&str> = paragraph.split_whitespace().collect();
    // The over-long word is hard-broken across rows; every other word stays whole and in order.
    let n = expected.len();
    assert_eq!(words[..n - 3], expected[..n - 3]);
    assert_eq!(words[n - 3..words.len() - 2].concat(), long_word);
    assert_eq!(words[words.len() - 2..], ["tail", "end."]);
    for line in body.lines() {
        assert!(line.chars().count() <= COLS, "row too wide: {line:?}");
    }
}

/// Asserts that nothing on the laid-out pages is cut off or overprinted: every run lies
/// within the margins and the paper, black runs never touch each other or a box, and white
/// runs (codes) lie inside a box.
fn assert_clean_layout(layout: &layout::Layout) {
    let right = PAGE_WIDTH - MARGIN_X;
    // A run's glyph area: Courier's ascenders/descenders stay within 7 pt up and 2 pt down.
    let glyphs = |t: &layout::TextRun| {
        let end = t.x + CHAR_WIDTH * i32::try_from(t.bytes.len()).unwrap();
        (t.x, end, t.y - 2, t.y + 7)
    };
    let overlaps = |a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)| {
        a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3
    };
    for (n, page) in layout.pages.iter().enumerate() {
        for r in &page.fills {
            assert!(
                r.x >= MARGIN_X && r.x + r.w <= right,
                "page {n}: box outside margins: {r:?}"
            );
        }
        let boxes: Vec<_> = page
            .fills
            .iter()
            .map(|r| (r.x, r.x + r.w, r.y, r.y + r.h))
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(*a, *b), "page {n}: boxes overlap");
            }
        }
        for (i, t) in page.texts.iter().enumerate() {
            let g = glyphs(t);
            assert!(
                g.0 >= MARGIN_X && g.1 <= right,
                "page {n}: text outside margins: {t:?}"
            );
            assert!(g.2 > 0 && g.3 < 792, "page {n}: text off the paper: {t:?}");
            if t.white {
                assert!(
                    boxes
                        .iter()
                        .any(|b| b.0 <= g.0 && g.1 <= b.1 && b.2 < t.y && t.y + 6 <= b.3),
                    "page {n}: codes outside their box: {t:?}"
                );
                continue;
            }
            assert!(
                !boxes.iter().any(|&b| overlaps(g, b)),
                "page {n}: box over text {t:?}"
            );
            for u in page.texts[i + 1..].iter().filter(|u| !u.white) {
                assert!(!overlaps(g, glyphs(u)), "page {n}: {t:?} overprints {u:?}");
            }
        }
    }
}

#[test]
fn long_header_and_footer_wrap_without_overprinting() {
    let mut input = cable((0..120).map(|i| text(&format!("line {i}"))).collect());
    input.header_marking = "UNCLASSIFIED//FOR OFFICIAL USE ONLY".into();
    input.header_ids = format!(
        "Case No. F-2026-00001 {} Date: 01/01/2026",
        "Doc No. C0001 ".repeat(8)
    );
    input.footer_stamp = format!(
        "RELEASE IN PART {}",
        "B1, 1.4(B), 1.4(D), B6, B7(C), ".repeat(4)
    );
    let l = layout::layout(&input).unwrap();
    assert_clean_layout(&l);
    let out = render(&input).unwrap();
    let pages = extract(&out.bytes).unwrap().pages;
    for (i, page) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", i + 1, pages.len());
        assert!(page.contains(&label), "{page}");
        // The label sits to the right of the stamp's first row; read around it.
        let flat = squash(&page.replace(&label, " "));
        assert!(flat.contains(&squash(&input.header_ids)), "{page}");
        assert!(flat.contains(&squash(&input.footer_stamp)), "{page}");
    }
}

#[test]
fn nothing_crosses_the_margins() {
    let mut blocks = vec![
        text(&lorem(120)),
        Block::Line(vec![
            Span::Text("See ".into()),
            Span::Redaction {
                codes: "B1, 1.4(B), 1.4(D)".into(),
                width_chars: 30,
            },
            Span::Text(format!(" and {}", "Y".repeat(90))),
            Span::Redaction {
                codes: "B6".into(),
                width_chars: 300,
            },
        ]),
        Block::Withheld {
            lead: "¶4. (C) ".into(),
            codes: "B1, 1.4(B), 1.4(D)".into(),
            height_lines: 4,
        },
    ];
    blocks.extend((0..60).map(|i| text(&format!("row {i}"))));
    // A lead that wraps, one that leaves too little room for the box on its row, and codes
    // too long for one row of the box.
    for (lead, codes) in [
        (format!("¶10. (C) {}", "lead ".repeat(20)), "B1".to_string()),
        (format!("{} ", "Z".repeat(70)), "B1, 1.4(B)".to_string()),
        (
            "¶11. (S) ".to_string(),
            "B1, 1.4(A), 1.4(B), 1.4(C), 1.4(D), ".repeat(3),
        ),
    ] {
        blocks.push(Block::Withheld {
            lead,
            codes,
            height_lines: 2,
        });
    }
    let mut input = cable(blocks);
    input.declass_block = vec!["Classified By: someone with a rather long title ".repeat(3)];
    let l = layout::layout(&input).unwrap();
    assert_clean_layout(&l);
    let flat = squash(&extract(&render(&input).unwrap().bytes).unwrap().text());
    assert!(
        flat.contains("1.4(C), 1.4(D), B1, 1.4(A)"),
        "long codes wrap inside the box"
    );
    assert!(flat.contains(&format!("{} B1, 1.4(B)", "Z".repeat(70))));
}

#[test]
fn tabs_and_newlines_in_spans() {
    let out = render(&cable(vec![text("a\tb\tc\r\nnext row\x0cafter feed")])).unwrap();
    let page = &extract(&out.bytes).unwrap().pages[0];
    assert!(
        page.contains("\na       b       c\nnext row\nafter feed\n"),
        "{page}"
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn extract_rejects_non_pdf() {
    assert!(matches!(extract(b"not a pdf"), Err(PdfError::Pdf(_))));
}

#[test]
fn withheld_box_size_depends_only_on_height() {
    let withheld = |codes: &str, height_lines| Block::Withheld {
        lead: "¶4. (C) ".into(),
        codes: codes.into(),
        height_lines,
    };
    for height in 1..=6 {
        let a = layout::layout(&cable(vec![withheld("B1", height)])).unwrap();
        let b = layout::layout(&cable(vec![withheld("B1, 1.4(B), 1.4(D)", height)])).unwrap();
        let boxes = |l: &layout::Layout| l.pages[0].fills.clone();
        assert_eq!(
            boxes(&a),
            boxes(&b),
            "geometry must not depend on the codes"
        );
        let [r] = boxes(&a)[..] else {
            panic!("one box expected")
        };
        assert_eq!(r.h, LEADING * i32::try_from(height).unwrap() - 2);
        assert_eq!(r.x, MARGIN_X + 8 * CHAR_WIDTH, "box starts after the lead");
        assert_eq!(
            r.x + r.w,
            PAGE_WIDTH - MARGIN_X,
            "box spans the rest of the line"
        );
    }
    // Two releases of different originals whose withheld paragraphs got the same height.
    let doc = |h| {
        cable(vec![
            text("¶3. (U) Visible."),
            withheld("B1", h),
            text("¶5. (U) End."),
        ])
    };
    assert_eq!(
        render(&doc(3)).unwrap().bytes,
        render(&doc(3)).unwrap().bytes
    );
    assert_ne!(
        render(&doc(3)).unwrap().bytes,
        render(&doc(4)).unwrap().bytes
    );
    let pages = extract(&render(&doc(3)).unwrap().bytes).unwrap().pages;
    assert!(pages[0].contains("¶4. (C)"));
    assert!(pages[0].contains("B1"));
}

#[test]
fn withheld_box_moves_to_next_page_or_splits_with_codes() {
    let rows_on_page = 54;
    let mut blocks: Vec<Block> = (0..rows_on_page - 2)
        .map(|i| text(&format!("line {i}")))
        .collect();
    blocks.push(Block::Withheld {
        lead: "¶9. (S) ".into(),
        codes: "B1, 1.4(C)".into(),
        height_lines: 5,
    });
    let l = layout::layout(&cable(blocks)).unwrap();
    assert_eq!(l.pages.len(), 2);
    assert!(
        l.pages[0].fills.is_empty(),
        "box must not start at the page bottom"
    );
    assert_eq!(l.pages[1].fills.len(), 1);

    // Taller than a page: split anyway, so it starts right after the text before it.
    let tall = cable(vec![
        text("¶8. (U) Before."),
        Block::Withheld {
            lead: "¶9. (S) ".into(),
            codes: "B1, 1.4(C)".into(),
            height_lines: 130,
        },
    ]);
    let l = layout::layout(&tall).unwrap();
    let rows: Vec<i32> = l
        .pages
        .iter()
        .map(|p| (p.fills[0].h + 2) / LEADING)
        .collect();
    assert_eq!(rows, [53, 54, 23]);
    let out = render(&tall).unwrap();
    assert_eq!(out.pages, 3);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("split into 3 boxes"))
    );
    for page in extract(&out.bytes).unwrap().pages {
        assert!(page.contains("B1, 1.4(C)"), "every part carries the codes");
    }
}

#[test]
fn zero_height_box_is_an_error() {
    let bad = cable(vec![Block::Withheld {
        lead: "¶1. ".into(),
        codes: "B1".into(),
        height_lines: 0,
    }]);
    assert!(matches!(render(&bad), Err(PdfError::InvalidInput(_))));
}

#[test]
fn pages_are_numbered() {
    let blocks = (0..80).map(|i| text(&format!("line {i}"))).collect();
    let out = render(&cable(blocks)).unwrap();
    assert_eq!(out.pages, 2);
    let pages = extract(&out.bytes).unwrap().pages;
    assert_eq!(pages.len(), 2);
    for (i, page) in pages.iter().enumerate() {
        let first = page.lines().next().unwrap();
        assert!(first.starts_with("UNCLASSIFIED"), "{first:?}");
        assert!(first.ends_with("Date: 01/01/2026"), "{first:?}");
        let lines: Vec<&str> = page.lines().collect();
        let footer = lines[lines.len() - 2];
        assert!(
            footer.starts_with("RELEASE IN PART B1, 1.4(B), 1.4(D)"),
            "{footer:?}"
        );
        assert!(
            footer.ends_with(&format!("Page {} of 2", i + 1)),
            "{footer:?}"
        );
        assert_eq!(lines[lines.len() - 1].trim(), "UNCLASSIFIED");
    }
    assert!(pages[0].contains("line 0\n"));
    assert!(pages[1].contains("line 79\n"));
}

#[test]
fn rendering_is_deterministic() {
    let input = cable(vec![text("¶1. (U) Same input, same bytes.")]);
    let a = render(&input).unwrap();
    let b = render(&input).unwrap();
    assert_eq!(a.bytes, b.bytes);
    let other = render(&cable(vec![text("¶1. (U) Other input.")])).unwrap();
    let id = |bytes: &[u8]| {
        lopdf::Document::load_mem(bytes)
            .unwrap()
            .trailer
            .get(b"ID")
            .unwrap()
            .clone()
    };
    assert_ne!(
        id(&a.bytes),
        id(&other.bytes),
        "the file ID follows the content"
    );
}

#[test]
fn maps_to_winansi_and_warns_once_per_character() {
    let line = "¶3. “Quoted” – dash — €5 • Smith’s café Ж and Ж again, Dvořák";
    let out = render(&cable(vec![text(line)])).unwrap();
    let page = &extract(&out.bytes).unwrap().pages[0];
    assert!(
        page.contains("¶3. “Quoted” – dash — €5 • Smith’s café Zh and Zh again, Dvorák"),
        "{page}"
    );
    assert_eq!(
        out.warnings,
        [
            "U+0416 'Ж' not in WinAnsi, printed as 'Zh'",
            "U+0159 'ř' not in WinAnsi, printed as 'r'",
        ]
    );
    let unknown = render(&cable(vec![text("漢 漢")])).unwrap();
    assert_eq!(
        unknown.warnings,
        ["U+6F22 '漢' not in WinAnsi, printed as '?'"]
    );
}

#[test]
fn escapes_round_trip() {
    let line = r"f(x) = (a \ b) ((nested)) \(already\) ) (";
    let out = render(&cable(vec![text(line)])).unwrap();
    assert!(out.warnings.is_empty());
    assert!(extract(&out.bytes).unwrap().pages[0].contains(line));
}

#[test]
fn no_residue_in_the_file() {
    let mut input = cable(vec![text("¶1. (U) Hello.")]);
    input.declass_block = vec!["Classified By: A. Officer, Reason: 1.4(b)".into()];
    let out = render(&input).unwrap();
    let found = extract(&out.bytes).unwrap();
    assert_eq!(
        found.info,
        [("Producer".to_string(), "declass".to_string())]
    );
    assert!(found.metadata.is_empty());
    assert!(found.other_strings.is_empty(), "{:?}", found.other_strings);
    assert_eq!(found.other_streams, 0);
    assert!(!found.has_xmp);
    assert!(!found.has_incremental_updates);
    let raw = String::from_utf8_lossy(&out.bytes);
    for needle in [
        "CreationDate",
        "ModDate",
        "Author",
        "Creator",
        "Metadata",
        "/Prev",
    ] {
        assert!(!raw.contains(needle), "{needle} in file");
    }
    let cwd = std::env::current_dir().unwrap();
    assert!(!raw.contains(cwd.to_str().unwrap()));
    assert!(found.pages[0].contains("Classified By: A. Officer, Reason: 1.4(b)"));
}

#[test]
fn streams_hold_only_what_was_passed() {
    let input = PdfInput {
        declass_block: vec!["Declassify On: 05/02/2032".into()],
        ..cable(vec![
            text("¶2. (SBU) The visible paragraph (with parentheses)."),
            Block::Line(vec![
                Span::Text("Met with ".into()),
                Span::Redaction {
                    codes: "B6".into(),
                    width_chars: 12,
                },
                Span::Text(" on May 2.".into()),
            ]),
            Block::Blank,
            Block::Withheld {
                lead: "¶4. (C) ".into(),
                codes: "B1, 1.4(B), 1.4(D)".into(),
                height_lines: 3,
            },
        ])
    };
    let plain = render(&input).unwrap();
    let packed = render_with(&input, RenderOptions { compress: true }).unwrap();
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    // Uncompressed by default, so a plain byte search of the file sees the page text...
    assert!(has(&plain.bytes, b"visible paragraph"));
    // ...while compressed, only the decompressed streams show it.
    assert!(!has(&packed.bytes, b"visible paragraph"));
    assert!(packed.bytes.len() < plain.bytes.len());
    assert_eq!(
        extract(&plain.bytes).unwrap().pages,
        extract(&packed.bytes).unwrap().pages
    );
    // Either way every string shown on a page comes from the input (or is the page label).
    let mut allowed: Vec<String> = vec![
        input.header_marking.clone(),
        input.header_marking.clone(),
        input.header_ids.clone(),
        input.footer_stamp.clone(),
        "Page 1 of 1".into(),
        "Declassify On: 05/02/2032".into(),
        "¶2. (SBU) The visible paragraph (with parentheses).".into(),
        "Met with".into(),
        "on May 2.".into(),
        "B6".into(),
        "¶4. (C)".into(),
        "B1, 1.4(B), 1.4(D)".into(),
    ];
    allowed.sort();
    for out in [&plain, &packed] {
        for content in content_streams(&out.bytes) {
            let mut shown = shown_strings(&content);
            shown.sort();
            assert_eq!(shown, allowed);
            // WinAnsi byte 0xB6 for the pilcrow, parentheses escaped.
            assert!(
                has(&content, b"(\xb62. \\(SBU\\) The visible"),
                "escaped in stream"
            );
        }
    }
}

#[test]
fn declass_block_is_boxed_on_page_one() {
    let mut input = cable(vec![text("¶1. (U) Body.")]);
    input.declass_block = vec![
        "Classified By: Political-Economic Counselor".into(),
        "Reason: 1.4(b), 1.4(d)".into(),
        "Declassify On: 05/02/2017".into(),
    ];
    let l = layout::layout(&input).unwrap();
    let [frame] = l.pages[0].frames[..] else {
        panic!("one frame expected")
    };
    assert_eq!(frame.h, 3 * LEADING + 6);
    let page = &extract(&render(&input).unwrap().bytes).unwrap().pages[0];
    let body = squash(page);
    assert!(body.contains("Classified By: Political-Economic Counselor Reason: 1.4(b), 1.4(d) Declassify On: 05/02/2017 ¶1. (U) Body."), "{body}");
}

#[test]
fn inline_redaction_shows_codes_in_place() {
    let out = render(&cable(vec![Block::Line(vec![
        Span::Text("Met with ".into()),
        Span::Redaction {
            codes: "B6".into(),
            width_chars: 10,
        },
        Span::Text(" today.".into()),
    ])]))
    .unwrap();
    let page = &extract(&out.bytes).unwrap().pages[0];
    assert!(page.contains("Met with     B6     today."), "{page}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any printable ASCII (parentheses, backslashes, runs of spaces, overlong words) comes
    /// back from `extract` with every non-space character in order.
    #[test]
    fn any_ascii_line_round_trips(line in "[ -~]{0,400}") {
        let input = PdfInput { blocks: vec![text(&line)], ..PdfInput::default() };
        let out = render(&input).unwrap();
        proptest::prop_assert!(out.warnings.is_empty());
        let pages = extract(&out.bytes).unwrap().pages;
        let mut body = String::new();
        for (i, page) in pages.iter().enumerate() {
            let label = format!("Page {} of {}", i + 1, pages.len());
            let (before, _) = page.rsplit_once(&label).unwrap();
            body.push_str(before);
        }
        let dense = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        proptest::prop_assert_eq!(dense(&body), dense(&line));
    }
}

#[test]
fn empty_input_is_one_page() {
    let out = render(&PdfInput::default()).unwrap();
    assert_eq!(out.pages, 1);
    assert!(extract(&out.bytes).unwrap().pages[0].contains("Page 1 of 1"));
}
