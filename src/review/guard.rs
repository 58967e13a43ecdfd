//! Who may talk to the review app, and the headers every answer carries: the token
//! (query, cookie or `X-Declass-Token`), the Host (against DNS rebinding), the Origin
//! (against other sites' pages posting to it), and the Content-Security-Policy.

use sha2::{Digest, Sha256};
use std::io::Read;

/// The secret printed with the address: 32 random hex digits from the OS.
#[derive(Clone, Debug)]
pub struct Token(String);

impl Token {
    pub fn random() -> std::io::Result<Token> {
        let mut bytes = [0u8; 16];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in time independent of where the strings differ.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// The name of the session cookie.
pub const COOKIE: &str = "declass_review";

/// The token a request carries, from the query, the cookie or the header.
pub fn token_of<'a>(
    query: Option<&'a str>,
    cookie: Option<&'a str>,
    header: Option<&'a str>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    if let Some(q) = query {
        out.extend(q.split('&').filter_map(|kv| kv.strip_prefix("token=")));
    }
    if let Some(c) = cookie {
        out.extend(
            c.split(';')
                .filter_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('=')),
        );
    }
    out.extend(header);
    out
}

/// Whether the Host header names this server (127.0.0.1 or localhost on its port).
pub fn host_ok(host: Option<&str>, port: u16) -> bool {
    host.is_some_and(|h| h == format!("127.0.0.1:{port}") || h == format!("localhost:{port}"))
}

/// Whether an Origin header (if any) is this server. A POST must carry one.
pub fn origin_ok(origin: Option<&str>, port: u16, post: bool) -> bool {
    match origin {
        None => !post,
        Some(o) => {
            o == format!("http://127.0.0.1:{port}") || o == format!("http://localhost:{port}")
        }
    }
}

/// The Content-Security-Policy of a page: scripts only from this server, styles only the
/// page's own `<style>` blocks (by hash), nothing else at all.
pub fn csp(page: &str) -> String {
    let mut hashes = String::new();
    let mut rest = page;
    while let Some(i) = rest.find("<style>") {
        let body = &rest[i + 7..];
        let Some(end) = body.find("</style>") else {
            break;
        };
        hashes.push_str(&format!(
            " 'sha256-{}'",
            base64(&Sha256::digest(&body.as_bytes()[..end]))
        ));
        rest = &body[end..];
    }
    format!(
        "default-src 'none'; script-src 'self'; style-src{}; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        if hashes.is_empty() {
            " 'none'".to_string()
        } else {
            hashes
        }
    )
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn tokens_are_found_and_compared_whole() {
        let t = Token("abc".into());
        let given = token_of(Some("x=1&token=abc"), Some("a=b; declass_review=zzz"), None);
        assert_eq!(given, ["abc", "zzz"]);
        assert!(t.matches("abc") && !t.matches("ab") && !t.matches("abd"));
        assert!(origin_ok(None, 80, false) && !origin_ok(None, 80, true));
        assert!(!origin_ok(Some("http://evil.example"), 80, false));
        assert!(host_ok(Some("127.0.0.1:80"), 80) && !host_ok(Some("evil:80"), 80));
    }
}
