//! Renders a sample released cable with `render::pdf`, to look at the layout.
//!
//! Place in the pipeline: stands in for the release model (it builds a `PdfInput` by hand) →
//! `render::pdf` → a PDF file. Usage: `cargo run --example pdf_sample [OUT.pdf] [--compress]`
//! (default `target/pdf_sample.pdf`), then e.g. `pdftoppm -png -r 60 OUT.pdf page`.

use declass::render::pdf::{Block, PdfInput, RenderOptions, Span, render_with};

fn line(text: &str) -> Block {
    Block::Line(vec![Span::Text(text.to_owned())])
}

fn withheld(lead: &str, height_lines: usize) -> Block {
    Block::Withheld {
        lead: lead.to_owned(),
        codes: "B1, 1.4(B), 1.4(D)".to_owned(),
        height_lines,
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let compress = args.iter().any(|a| a == "--compress");
    let out_path = args
        .iter()
        .find(|a| *a != "--compress")
        .cloned()
        .unwrap_or_else(|| "target/pdf_sample.pdf".to_owned());

    let mut blocks = vec![
        line("VZCZCXYZ0029"),
        line("OO RUEHWEB"),
        Block::Blank,
        line("DE RUEHPG #0486/01 1231330"),
        line("ZNY CCCCC ZZH"),
        line("O 031330Z MAY 07"),
        line("FM AMEMBASSY PRAGUE"),
        line("TO RUEHC/SECSTATE WASHDC IMMEDIATE 8995"),
        line("INFO RUEKJCS/SECDEF WASHDC IMMEDIATE"),
        line("RUEHNO/USMISSION USNATO IMMEDIATE 1854"),
        Block::Blank,
        line("C O N F I D E N T I A L PRAGUE 000486"),
        Block::Blank,
        line("SIPDIS"),
        Block::Blank,
        line("E.O. 12958: DECL: 05/02/2017"),
        line("TAGS: PREL PGOV MASS MARR EZ RU"),
        line(
            "SUBJECT: CZECH-RUSSIAN PRESIDENTIAL MEETINGS CORDIAL; NO NEW ARGUMENTS ON MISSILE DEFENSE",
        ),
        Block::Blank,
        line("REF: IIR 6 824 0072 07"),
        Block::Blank,
        line(
            "Classified By: Political-Economic Counselor Mike Dodman for reasons 1.4 (b) and (d).",
        ),
        Block::Blank,
        withheld("¶1. (C) ", 6),
        Block::Blank,
        line(
            "¶2. (SBU) DCM met with Deputy Foreign Minister Tomáš Pojar May 2 to discuss President \
             Klaus’s meetings in Moscow on April 27. DCM and Poloff later attended an official \
             briefing for EU Ambassadors and the U.S., also given by Pojar.",
        ),
        Block::Blank,
        line(
            "¶3. (SBU) President Klaus’s visit to the Russian Federation is the first for a Czech \
             President. In honor of the historic occasion, the delegation was large, and included \
             the Deputy Speakers of the House and Senate of the Czech Parliament, the Deputy \
             Ministers of the MFA, MOD, and Ministry of Trade and Industry, and ninety \
             representatives of Czech businesses. There were four official meetings: President \
             Klaus met with President Putin (Путин), the Presidents met with members of the Duma, \
             the delegation on both sides met in a plenary session, and Pojar had a working \
             session with his counterparts.",
        ),
        Block::Blank,
        withheld("¶4. (C) ", 8),
        Block::Blank,
        Block::Line(vec![
            Span::Text(
                "¶5. (C) Pojar noted that the Russian officials who raised MD at the different \
                 meetings did so using identical talking points. He said nothing was raised that \
                 has not previously been heard in Oslo, Berlin and other venues. According to "
                    .to_owned(),
            ),
            Span::Redaction {
                codes: "B1".to_owned(),
                width_chars: 24,
            },
            Span::Text(
                ", the Russians believe nuclear proliferation and sale of nuclear materials to \
                 terrorists pose a greater threat in the near term."
                    .to_owned(),
            ),
        ]),
        Block::Blank,
        withheld("¶6. (C) ", 3),
        Block::Blank,
        withheld("¶7. (C) ", 7),
        Block::Blank,
        withheld("¶8. (C) ", 7),
        Block::Blank,
    ];
    blocks.push(line(
        "¶9. (SBU) The other 90 per cent of the meetings during the Klaus visit addressed \
         primarily economic matters. The two presidents signed seven agreements worth 40 billion \
         Czech Crowns (nearly $2 billion), including important agreements concerning dual \
         taxation, IPR protection of military equipment, and modernization of Russian \
         helicopters (reftel). Kosovo and the current violence in Estonia were not raised.",
    ));
    blocks.push(Block::Blank);
    blocks.push(line("GRABER"));

    let input = PdfInput {
        header_marking: "UNCLASSIFIED".to_owned(),
        header_ids: "Case No. F-2026-00001  Doc No. C0001  Date: 01/01/2026".to_owned(),
        footer_stamp: "RELEASE IN PART B1, 1.4(B), 1.4(D)".to_owned(),
        declass_block: vec![
            "Classified By: Political-Economic Counselor Mike Dodman".to_owned(),
            "Reason: 1.4(b), 1.4(d)".to_owned(),
            "Declassify On: 05/02/2017".to_owned(),
            "Declassified in part by: Sample Reviewer, 01/01/2026".to_owned(),
        ],
        blocks,
    };
    let out = render_with(&input, RenderOptions { compress })?;
    std::fs::write(&out_path, &out.bytes)?;
    println!(
        "wrote {out_path}: {} pages, {} bytes",
        out.pages,
        out.bytes.len()
    );
    for w in &out.warnings {
        println!("warning: {w}");
    }
    Ok(())
}
