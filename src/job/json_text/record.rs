//! A JSON output and its reader's text made in one pass: the manifest and the JSON release
//! are written by `serde_json`'s pretty printer through [`Recorder`], which hands every
//! byte on unchanged and writes beside them what [`super::json_text`] would read back
//! from those bytes (each key and string decoded, one per line, members in key order,
//! numbers and literals as written). Reading our own output back cost a tenth of a
//! release; the checks now get the same text without it. Anything the recorder does not
//! follow exactly as the reader would (floats, integers of 19 digits or more, raw
//! fragments, nesting past the reader's depth) makes the caller read the finished JSON
//! with [`super::json_text`] instead, so the text is always the reader's.

use super::Member;
use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};
use std::io::{self, Write};
use std::ops::Range;

/// `value` as pretty JSON with a trailing newline (the bytes `to_string_pretty` makes),
/// and the text [`super::json_text`] reads from them.
pub fn to_pretty_with_text<T: Serialize + ?Sized>(value: &T) -> (String, String) {
    let mut json = Vec::with_capacity(4096);
    let mut rec = Recorder::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut json, &mut rec);
    let written = value.serialize(&mut ser).is_ok();
    json.push(b'\n');
    // serde_json writes UTF-8 only; a failed serialisation leaves nothing usable.
    let json = match (written, String::from_utf8(json)) {
        (true, Ok(json)) => json,
        _ => {
            // As `to_string_pretty(..).unwrap_or_default() + "\n"` gives it.
            let json = "\n".to_string();
            let text = super::json_text(&json);
            return (json, text);
        }
    };
    let text = match rec.faithful() {
        true => rec.text,
        false => super::json_text(&json),
    };
    (json, text)
}

/// An object being written.
struct Open {
    /// Where its members begin in `Recorder::members`, and its text in the text.
    first_member: usize,
    start: usize,
    /// The start of the member being written and, once its key is done, the key.
    member_start: usize,
    key: Range<usize>,
}

/// A pretty printer that also writes the reader's text of what it prints.
struct Recorder {
    pretty: PrettyFormatter<'static>,
    text: String,
    /// The members of the open objects, innermost last.
    members: Vec<Member>,
    objects: Vec<Open>,
    /// Inside a string (a map key that is a number is written inside quotes).
    in_string: bool,
    /// Open arrays and objects, against the reader's depth limit.
    depth: usize,
    /// Something was written that the reader reads another way.
    off: bool,
    /// Where an object's members are put in order, kept for the next object.
    scratch: String,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder {
            pretty: PrettyFormatter::new(),
            text: String::with_capacity(4096),
            members: Vec::new(),
            objects: Vec::new(),
            in_string: false,
            depth: 0,
            off: false,
            scratch: String::new(),
        }
    }

    fn faithful(&self) -> bool {
        !self.off && self.objects.is_empty() && !self.in_string
    }

    fn open(&mut self) {
        self.depth += 1;
        // The reader leaves deeper documents to its reference walk.
        if self.depth > super::MAX_DEPTH {
            self.off = true;
        }
    }

    /// An integer as written: on its own line, or part of a quoted key.
    fn integer(&mut self, digits: &[u8]) {
        // The reader reads 19 digits or more as `serde_json` does, maybe as a float.
        if digits.iter().filter(|b| b.is_ascii_digit()).count() >= 19 {
            self.off = true;
        }
        self.text.extend(digits.iter().map(|&b| char::from(b)));
        if !self.in_string {
            self.text.push('\n');
        }
    }

    fn literal(&mut self, word: &str) {
        if self.in_string {
            self.off = true;
        }
        self.text.push_str(word);
        self.text.push('\n');
    }

    /// The members of the object just closed, in key order as the reader puts them (a
    /// repeated key keeps its last value), when they are not in order already.
    fn close_object(&mut self) {
        let Some(Open {
            first_member: first,
            start,
            ..
        }) = self.objects.pop()
        else {
            self.off = true;
            return;
        };
        super::order_members(
            &mut self.text,
            start,
            &mut self.members[first..],
            &mut self.scratch,
        );
        self.members.truncate(first);
    }
}

/// Writes an integer through the pretty printer and records its digits.
macro_rules! integer {
    ($name:ident, $t:ty) => {
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W, value: $t) -> io::Result<()> {
            // On the stack: a manifest writes a dozen integers a paragraph.
            let mut buf = [0u8; 48];
            let mut digits = io::Cursor::new(&mut buf[..]);
            self.pretty.$name(&mut digits, value)?;
            let len = usize::try_from(digits.position()).unwrap_or(0);
            self.integer(&buf[..len]);
            w.write_all(&buf[..len])
        }
    };
}

/// Writes a float through the pretty printer; the reader prints it its own way.
macro_rules! float {
    ($name:ident, $t:ty) => {
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W, value: $t) -> io::Result<()> {
            self.off = true;
            self.pretty.$name(w, value)
        }
    };
}

impl Formatter for &mut Recorder {
    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.literal("null");
        self.pretty.write_null(w)
    }

    fn write_bool<W: ?Sized + Write>(&mut self, w: &mut W, value: bool) -> io::Result<()> {
        self.literal(if value { "true" } else { "false" });
        self.pretty.write_bool(w, value)
    }

    integer!(write_i8, i8);
    integer!(write_i16, i16);
    integer!(write_i32, i32);
    integer!(write_i64, i64);
    integer!(write_i128, i128);
    integer!(write_u8, u8);
    integer!(write_u16, u16);
    integer!(write_u32, u32);
    integer!(write_u64, u64);
    integer!(write_u128, u128);
    float!(write_f32, f32);
    float!(write_f64, f64);

    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, value: &str) -> io::Result<()> {
        self.off = true;
        self.pretty.write_number_str(w, value)
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_string = true;
        self.pretty.begin_string(w)
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_string = false;
        self.text.push('\n');
        self.pretty.end_string(w)
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        self.text.push_str(fragment);
        self.pretty.write_string_fragment(w, fragment)
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let c = match escape {
            CharEscape::Quote => '"',
            CharEscape::ReverseSolidus => '\\',
            CharEscape::Solidus => '/',
            CharEscape::Backspace => '\u{8}',
            CharEscape::FormFeed => '\u{c}',
            CharEscape::LineFeed => '\n',
            CharEscape::CarriageReturn => '\r',
            CharEscape::Tab => '\t',
            CharEscape::AsciiControl(b) => char::from(b),
        };
        self.text.push(c);
        self.pretty.write_char_escape(w, escape)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open();
        self.pretty.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.pretty.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open();
        self.objects.push(Open {
            first_member: self.members.len(),
            start: self.text.len(),
            member_start: self.text.len(),
            key: 0..0,
        });
        self.pretty.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.close_object();
        self.pretty.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        let at = self.text.len();
        match self.objects.last_mut() {
            Some(o) => o.member_start = at,
            None => self.off = true,
        }
        self.pretty.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        // The key's line, without its newline.
        let end = self.text.len().saturating_sub(1);
        match self.objects.last_mut() {
            Some(o) => o.key = o.member_start..end,
            None => self.off = true,
        }
        self.pretty.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match self.objects.last() {
            Some(o) => self.members.push(Member {
                key: o.key.clone(),
                text: o.member_start..self.text.len(),
            }),
            None => self.off = true,
        }
        self.pretty.end_object_value(w)
    }

    fn write_raw_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        self.off = true;
        self.pretty.write_raw_fragment(w, fragment)
    }
}
