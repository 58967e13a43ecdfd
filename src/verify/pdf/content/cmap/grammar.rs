//! The text of a ToUnicode CMap → its sections (codespace ranges, `bfchar`, `bfrange`).
//!
//! Place in [`super`]: the first step of reading a map. It accepts a subset of what lopdf's
//! CMap grammar accepts, and reads what it accepts into the same sections lopdf would:
//! the same keywords in the same order, the same white space where lopdf wants spaces or
//! tabs only (`space0`/`space1`) and where it also takes line ends and comments
//! (`multispace0`/`multispace1`), codes of one to four bytes, targets of up to 256 UTF-16
//! units. Anything outside the subset (a `CIDSystemInfo` written as `dict dup begin`, a
//! comment inside its dictionary, an odd number type, a line that does not read) gives
//! `None`, and the caller hands the map to lopdf, so a map is never read differently from
//! lopdf, only sooner. Text after the last `end` is ignored, as lopdf ignores it.

/// One section of a map, in the order the map gives them.
#[derive(Debug, PartialEq)]
pub(super) enum Section {
    /// `begincodespacerange`: (low, high, bytes).
    Codespace(Vec<(u32, u32, u8)>),
    /// `beginbfchar`: (code, bytes, target).
    Chars(Vec<(u32, u8, Vec<u16>)>),
    /// `beginbfrange`: (low, high, bytes, targets: one string, or the array's strings).
    Ranges(Vec<(u32, u32, u8, Vec<Vec<u16>>)>),
}

/// The sections of the map, or `None` when the text is outside the subset read here.
pub(super) fn sections(text: &[u8]) -> Option<Vec<Section>> {
    let mut c = Cursor { b: text, p: 0 };
    c.tag(b"\xEF\xBB\xBF");
    c.ms0();
    c.need(b"/CIDInit")?;
    c.sp0();
    if c.tag(b"/ProcSet").is_none() {
        c.need(b"/Procset")?;
    }
    c.sp1()?;
    c.need(b"findresource")?;
    c.sp1()?;
    c.need(b"begin")?;
    c.ms1()?;
    c.digits()?;
    c.sp1()?;
    c.need(b"dict")?;
    c.sp1()?;
    c.need(b"begin")?;
    c.ms1()?;
    c.need(b"begincmap")?;
    c.ms1()?;
    // One to seven entries (`/CMapName …`, `/CMapType …`, …), as lopdf reads them.
    let mut entries = 0;
    while entries < 7 {
        let at = c.p;
        if c.entry().is_none() {
            c.p = at;
            break;
        }
        entries += 1;
    }
    if entries == 0 {
        return None;
    }
    let mut out = Vec::new();
    while !c.rest().starts_with(b"endcmap") {
        out.push(c.section()?);
    }
    if out.is_empty() {
        return None;
    }
    for (word, blank) in [
        (&b"endcmap"[..], Blank::Ms1),
        (b"CMapName", Blank::Sp1),
        (b"currentdict", Blank::Sp0),
        (b"/CMap", Blank::Sp1),
        (b"defineresource", Blank::Sp1),
        (b"pop", Blank::Ms1),
        (b"end", Blank::Ms1),
    ] {
        c.need(word)?;
        match blank {
            Blank::Sp0 => c.sp0(),
            Blank::Sp1 => c.sp1()?,
            Blank::Ms1 => c.ms1()?,
        }
    }
    c.need(b"end")?;
    Some(out)
}

enum Blank {
    Sp0,
    Sp1,
    Ms1,
}

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

/// White space of PDF syntax (lopdf's `space` in a dictionary).
fn pdf_white(c: u8) -> bool {
    b" \t\n\r\0\x0C".contains(&c)
}

/// A regular character of PDF syntax (part of a name).
fn regular(c: u8) -> bool {
    !pdf_white(c) && !b"()<>[]{}/%".contains(&c)
}

impl Cursor<'_> {
    fn rest(&self) -> &[u8] {
        &self.b[self.p..]
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.p).copied()
    }

    fn tag(&mut self, t: &[u8]) -> Option<()> {
        self.rest().starts_with(t).then(|| self.p += t.len())
    }

    fn need(&mut self, t: &[u8]) -> Option<()> {
        self.tag(t)
    }

    /// Spaces and tabs.
    fn sp0(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.p += 1;
        }
    }

    fn sp1(&mut self) -> Option<()> {
        let at = self.p;
        self.sp0();
        (self.p > at).then_some(())
    }

    /// Spaces, tabs, line ends and comments (a comment must end with a line end).
    fn ms0(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.p += 1,
                Some(b'\r') => {
                    self.p += 1;
                    self.tag(b"\n");
                }
                Some(b'%') => {
                    let Some(end) = self.rest().iter().position(|&c| c == b'\r' || c == b'\n')
                    else {
                        return;
                    };
                    self.p += end + 1;
                    if self.b[self.p - 1] == b'\r' {
                        self.tag(b"\n");
                    }
                }
                _ => return,
            }
        }
    }

    fn ms1(&mut self) -> Option<()> {
        let at = self.p;
        self.ms0();
        (self.p > at).then_some(())
    }

    fn digits(&mut self) -> Option<&[u8]> {
        let at = self.p;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.p += 1;
        }
        (self.p > at).then(|| &self.b[at..self.p])
    }

    /// Two hexadecimal digits; nothing taken when they are not there.
    fn hex_byte(&mut self) -> Option<u8> {
        let r = self.rest();
        let v = (hex(*r.first()?)? << 4) | hex(*r.get(1)?)?;
        self.p += 2;
        Some(v)
    }

    /// `/Name`, `#xx` escapes included (a `#` without two hex digits ends it).
    fn name(&mut self) -> Option<()> {
        self.need(b"/")?;
        loop {
            while self.peek().is_some_and(|c| regular(c) && c != b'#') {
                self.p += 1;
            }
            if self.peek() != Some(b'#') {
                return Some(());
            }
            let at = self.p;
            self.p += 1;
            if self.hex_byte().is_none() {
                self.p = at;
                return Some(());
            }
        }
    }

    /// One entry before the sections.
    fn entry(&mut self) -> Option<()> {
        if self.tag(b"/CIDSystemInfo").is_some() {
            self.ms0();
            if self.peek()?.is_ascii_digit() {
                self.dict_dup()?;
                self.ms1()?;
            } else {
                self.dictionary()?;
                self.ms0();
            }
        } else if self.tag(b"/CMapName").is_some() {
            self.sp0();
            self.name()?;
            self.sp1()?;
        } else if self.tag(b"/CMapVersion").is_some() {
            self.sp1()?;
            self.digits()?;
            if self.peek() == Some(b'.') && self.b.get(self.p + 1).is_some_and(u8::is_ascii_digit) {
                self.p += 1;
                self.digits()?;
            }
            self.sp1()?;
        } else if self.tag(b"/XUID").is_some() {
            self.sp1()?;
            self.need(b"[")?;
            self.digits()?;
            loop {
                let at = self.p;
                if self.sp1().is_none() || self.digits().is_none() {
                    self.p = at;
                    break;
                }
            }
            self.need(b"]")?;
            self.sp1()?;
        } else {
            let key = [&b"/CMapType"[..], b"/UIDOffset", b"/WMode"]
                .into_iter()
                .find(|key| self.rest().starts_with(key))?;
            self.p += key.len();
            self.sp1()?;
            self.digits()?;
            self.sp1()?;
        }
        self.need(b"def")?;
        self.ms1()
    }

    /// `<< /Key value … >>` with names, plain literal strings and unsigned integers as
    /// values, PDF white space between them (no comments): the form `CIDSystemInfo` takes.
    fn dictionary(&mut self) -> Option<()> {
        self.need(b"<<")?;
        self.white();
        while self.tag(b">>").is_none() {
            self.name()?;
            self.white();
            self.value(b"/>")?;
        }
        Some(())
    }

    /// `3 dict dup begin /Key value def … end`, values as in [`Self::dictionary`].
    fn dict_dup(&mut self) -> Option<()> {
        self.digits()?;
        for word in [&b"dict"[..], b"dup", b"begin"] {
            self.sp1()?;
            self.need(word)?;
        }
        self.lines1()?;
        while self.tag(b"end").is_none() {
            self.name()?;
            self.white();
            self.value(b"d")?;
            self.need(b"def")?;
            self.lines1()?;
        }
        Some(())
    }

    /// Spaces, tabs and line ends, no comments (nom's `multispace1`, which lopdf's
    /// `dict dup` reader uses).
    fn lines1(&mut self) -> Option<()> {
        let at = self.p;
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.p += 1;
        }
        (self.p > at).then_some(())
    }

    /// A value of the subset, and the PDF white space after it; an integer must be followed
    /// by one of `next` (so that it is not the start of a reference such as `1 0 R`).
    fn value(&mut self, next: &[u8]) -> Option<()> {
        match self.peek()? {
            b'/' => self.name()?,
            b'(' => {
                let len = self.rest()[1..]
                    .iter()
                    .position(|c| b"()\\\r\n".contains(c))?;
                if self.rest()[1 + len] != b')' {
                    return None;
                }
                self.p += len + 2;
            }
            b'0'..=b'9' => {
                // Not a real (`1.0`), nor a reference (`1 0 R`): digits, then white
                // space, then the next key or the end.
                if self.digits()?.len() > 18 || self.peek() == Some(b'.') {
                    return None;
                }
                self.white();
                if !next.contains(&self.peek()?) {
                    return None;
                }
            }
            _ => return None,
        }
        self.white();
        Some(())
    }

    fn white(&mut self) {
        while self.peek().is_some_and(pdf_white) {
            self.p += 1;
        }
    }

    /// `<code>`: one to four bytes.
    fn code(&mut self) -> Option<(u32, u8)> {
        self.need(b"<")?;
        let (mut code, mut len) = (0u32, 0u8);
        while len < 4 {
            let Some(b) = self.hex_byte() else { break };
            code = (code << 8) | u32::from(b);
            len += 1;
        }
        if len == 0 {
            return None;
        }
        self.need(b">")?;
        Some((code, len))
    }

    /// `<low> <high>`, both of the same length.
    fn code_range(&mut self) -> Option<(u32, u32, u8)> {
        let (low, len) = self.code()?;
        self.sp0();
        let (high, len_high) = self.code()?;
        (len == len_high).then_some((low, high, len))
    }

    /// `<0041 0042>`: one to 256 UTF-16 units, line ends and comments allowed after each.
    fn target(&mut self) -> Option<Vec<u16>> {
        self.need(b"<")?;
        let mut units = Vec::new();
        while units.len() < 256 {
            let at = self.p;
            let (Some(hi), Some(lo)) = (self.hex_byte(), self.hex_byte()) else {
                self.p = at;
                break;
            };
            units.push((u16::from(hi) << 8) | u16::from(lo));
            self.ms0();
        }
        if units.is_empty() {
            return None;
        }
        self.need(b">")?;
        Some(units)
    }

    /// `[<…> <…>]`: strings separated by spaces or tabs.
    fn targets(&mut self) -> Option<Vec<Vec<u16>>> {
        self.need(b"[")?;
        self.sp0();
        let mut out = vec![self.target()?];
        loop {
            let at = self.p;
            let next = self.sp1().and_then(|()| self.target());
            match next {
                Some(t) => out.push(t),
                None => {
                    self.p = at;
                    break;
                }
            }
        }
        self.sp0();
        self.need(b"]")?;
        Some(out)
    }

    /// `N beginX … endX`: a section, whole, or `None`.
    fn section(&mut self) -> Option<Section> {
        self.digits()?;
        self.sp1()?;
        let section = if self.tag(b"begincodespacerange").is_some() {
            self.ms1()?;
            let mut ranges = Vec::new();
            while ranges.is_empty() || !self.rest().starts_with(b"endcodespacerange") {
                self.sp0();
                ranges.push(self.code_range()?);
                self.ms1()?;
            }
            self.need(b"endcodespacerange")?;
            Section::Codespace(ranges)
        } else if self.tag(b"beginbfchar").is_some() {
            self.ms1()?;
            let mut chars = Vec::new();
            while !self.rest().starts_with(b"endbfchar") {
                self.sp0();
                let (code, len) = self.code()?;
                self.sp0();
                chars.push((code, len, self.target()?));
                self.ms1()?;
            }
            self.need(b"endbfchar")?;
            Section::Chars(chars)
        } else {
            self.need(b"beginbfrange")?;
            self.ms1()?;
            let mut ranges = Vec::new();
            while !self.rest().starts_with(b"endbfrange") {
                self.sp0();
                let (low, high, len) = self.code_range()?;
                self.sp0();
                let targets = match self.peek() {
                    Some(b'[') => self.targets()?,
                    _ => vec![self.target()?],
                };
                ranges.push((low, high, len, targets));
                self.ms1()?;
            }
            self.need(b"endbfrange")?;
            Section::Ranges(ranges)
        };
        self.ms1()?;
        Some(section)
    }
}
