//! `declass review` over HTTP: the security cases (no token, a foreign Origin or Host, `../`
//! paths, `<script>` in a document, the CSP header), the list's counts and filters, refused
//! changes leaving the decisions file as it was, and one decision round trip through the
//! decisions file to `release`. The app runs as a child process on a free port of 127.0.0.1.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct App {
    child: Child,
    port: u16,
    token: String,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, decisions: &Path) -> App {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args([
            "review",
            dir.to_str().unwrap(),
            "--decisions",
            decisions.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, token) = rest.split_once("/?token=").unwrap();
    App {
        child,
        port: port.parse().unwrap(),
        token: token.to_string(),
    }
}

/// One request; returns the status and the body.
fn request(
    app: &App,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let (status, _, body) = exchange(app, method, target, headers, body);
    (status, body)
}

/// One request; returns the status, the response head (status line and headers) and the
/// body. The Host is this server's unless `headers` gives one.
fn exchange(
    app: &App,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", app.port)).unwrap();
    let host = headers
        .iter()
        .find(|h| h.0 == "Host")
        .map_or(format!("127.0.0.1:{}", app.port), |h| h.1.to_string());
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers.iter().filter(|h| h.0 != "Host") {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    (status, head.to_string(), body.to_string())
}

fn get(app: &App, path: &str) -> (u16, String) {
    let sep = if path.contains('?') { '&' } else { '?' };
    request(
        app,
        "GET",
        &format!("{path}{sep}token={}", app.token),
        &[],
        "",
    )
}

fn post(app: &App, path: &str, origin: &str, body: &str) -> (u16, String) {
    let target = format!("{path}?token={}", app.token);
    let headers = [("Origin", origin), ("Content-Type", "application/json")];
    request(app, "POST", &target, &headers, body)
}

fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let cable = common::read_text("tests/fixtures/cables/09BERN351.txt");
    std::fs::write(docs.join("09BERN351.txt"), &cable).unwrap();
    let hostile = cable.replace(
        "Minimize considered.",
        "<script>alert(1)</script> considered.",
    );
    std::fs::write(docs.join("hostile.txt"), hostile).unwrap();
    std::fs::write(dir.path().join("outside.txt"), &cable).unwrap();
    (dir, docs)
}

#[test]
fn requests_without_the_token_from_other_origins_or_outside_the_folder_are_refused() {
    let (dir, docs) = folder();
    let app = start(&docs, &dir.path().join("decisions.yaml"));
    let (status, _) = request(&app, "GET", "/", &[], "");
    assert_eq!(status, 403, "no token");
    let (status, _) = request(&app, "GET", "/?token=0000", &[], "");
    assert_eq!(status, 403, "wrong token");
    let (status, body) = get(&app, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("09BERN351.txt") && !body.contains("outside.txt"),
        "{body}"
    );

    let evil = "http://evil.example";
    let (status, _) = post(
        &app,
        "/api/approve",
        evil,
        r#"{"path":"0/09BERN351.txt","line":1,"reviewer":"x"}"#,
    );
    assert_eq!(status, 403, "foreign Origin");
    let (status, _) = request(
        &app,
        "GET",
        &format!("/?token={}", app.token),
        &[("Origin", evil)],
        "",
    );
    assert_eq!(status, 403, "foreign Origin on a GET");

    for path in [
        "0/../outside.txt",
        "0/..%2Foutside.txt",
        "0//etc/passwd",
        "1/09BERN351.txt",
        "0/%2E%2E/outside.txt",
    ] {
        let (status, _) = get(&app, &format!("/doc?path={path}"));
        assert_eq!(status, 403, "{path}");
    }
    let origin = format!("http://127.0.0.1:{}", app.port);
    let (status, _) = post(
        &app,
        "/api/decide",
        &origin,
        r#"{"path":"0/../outside.txt","row":1,"action":"release","reason":"r","reviewer":"x"}"#,
    );
    assert_eq!(status, 403);
    assert!(
        !dir.path().join("decisions.yaml").exists(),
        "nothing written"
    );
}

#[test]
fn a_script_in_a_document_is_shown_as_text_under_a_strict_csp() {
    let (dir, docs) = folder();
    let app = start(&docs, &dir.path().join("decisions.yaml"));
    let (status, body) = get(&app, "/doc?path=0/hostile.txt");
    assert_eq!(status, 200);
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
    assert!(!body.contains("<script>alert"), "{body}");
    // The only script is the app's own, from the same origin.
    assert_eq!(body.matches("<script").count(), 1);
    assert!(body.contains("<script src=\"/app.js\" defer></script>"));
}

#[test]
fn a_decision_made_in_the_app_is_applied_by_release() {
    let (dir, docs) = folder();
    let decisions = dir.path().join("decisions.yaml");
    let app = start(&docs, &decisions);
    let (_, page) = get(&app, "/doc?path=0/09BERN351.txt");
    // The row of ¶5 (U), as the page numbers it.
    let row = page
        .split("data-row=\"")
        .skip(1)
        .find(|s| s.contains("><span class=\"label\">¶5<"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let origin = format!("http://127.0.0.1:{}", app.port);
    let decide = format!(
        r#"{{"path":"0/09BERN351.txt","row":{row},"action":"withhold","code":"B6","reason":"names a private person","reviewer":"alice"}}"#
    );
    let (status, body) = post(&app, "/api/decide", &origin, &decide);
    assert_eq!(status, 200, "{body}");
    let written = std::fs::read_to_string(&decisions).unwrap();
    assert!(
        written.contains("reviewer: \"alice\"") && written.contains("codes: [\"B6\"]"),
        "{written}"
    );
    let line = written
        .lines()
        .find_map(|l| l.trim().strip_prefix("line: "))
        .unwrap()
        .to_string();
    let own = format!(r#"{{"path":"0/09BERN351.txt","line":{line},"reviewer":"alice"}}"#);
    assert_eq!(
        post(&app, "/api/approve", &origin, &own).0,
        400,
        "no self-approval"
    );
    let input = docs.join("09BERN351.txt");
    let release = |extra: &[&str]| {
        let mut args = vec![
            "release",
            input.to_str().unwrap(),
            "--decisions",
            decisions.to_str().unwrap(),
        ];
        args.extend(extra);
        common::declass(&args)
    };
    let refused = release(&["--require-approval"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        common::stderr(&refused).contains("¶5"),
        "{}",
        common::stderr(&refused)
    );

    let bob = format!(r#"{{"path":"0/09BERN351.txt","line":{line},"reviewer":"bob"}}"#);
    assert_eq!(post(&app, "/api/approve", &origin, &bob).0, 200);
    let log = dir.path().join("log.csv");
    let out = release(&["--require-approval", "--log", log.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains("5. (U) [B6]"), "{text}");
    assert!(!text.contains("Minimize considered"));
    let log = std::fs::read_to_string(log).unwrap();
    assert!(
        log.contains("¶5")
            && log.contains("reviewer alice")
            && log.contains("names a private person"),
        "{log}"
    );
    // The page now lists the decision and its approval.
    let (_, page) = get(&app, "/doc?path=0/09BERN351.txt");
    assert!(page.contains("approved by bob"), "{page}");
    // The decision column says who decided: the reviewer for ¶5, the policy elsewhere.
    assert_eq!(
        page.matches("class=\"by by-reviewer\"").count(),
        1,
        "{page}"
    );
    assert!(page.contains("class=\"by\">policy<"), "{page}");
}

#[test]
fn pages_carry_a_strict_csp_and_a_foreign_host_is_refused() {
    let (dir, docs) = folder();
    let app = start(&docs, &dir.path().join("decisions.yaml"));
    let target = format!("/doc?path=0/09BERN351.txt&token={}", app.token);
    let (status, head, _) = exchange(&app, "GET", &target, &[], "");
    assert_eq!(status, 200);
    let csp = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Security-Policy: "))
        .unwrap_or_else(|| panic!("no CSP: {head}"));
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self'; style-src 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe") && !csp.contains('*'), "{csp}");
    assert!(head.contains("X-Frame-Options: DENY"), "{head}");
    assert!(head.contains("HttpOnly; SameSite=Strict"), "{head}");
    // A name that resolves here but is not this server's (DNS rebinding) is refused.
    let (status, _, body) = exchange(&app, "GET", &target, &[("Host", "evil.example")], "");
    assert_eq!(status, 403);
    assert!(!body.contains("BERN"), "{body}");
}

#[test]
fn the_list_counts_portions_and_filters_documents() {
    let (dir, docs) = folder();
    let decisions = dir.path().join("decisions.yaml");
    let app = start(&docs, &decisions);
    let row_of = |page: &str, name: &str| -> Vec<String> {
        let row = page
            .split("<tr>")
            .find(|r| r.contains(&format!(">{name}</a>")))
            .unwrap_or_else(|| panic!("{name} not listed: {page}"));
        row.split("<td class=\"n\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap().to_string())
            .collect()
    };
    let (status, page) = get(&app, "/");
    assert_eq!(status, 200);
    // Released, withheld, redacted, needing review (its one unmarked portion, withheld
    // by the fail-closed rule): as `release` decides the cable.
    assert_eq!(
        row_of(&page, "09BERN351.txt"),
        ["2", "3", "0", "1"],
        "{page}"
    );
    let (_, withheld) = get(&app, "/?filter=withheld");
    assert!(withheld.contains(">09BERN351.txt</a>"), "{withheld}");
    let (_, redacted) = get(&app, "/?filter=redacted");
    assert!(!redacted.contains(">09BERN351.txt</a>"), "{redacted}");

    // A decision nobody approved yet counts as needing review until a second reviewer
    // approves it.
    let (_, doc) = get(&app, "/doc?path=0/09BERN351.txt");
    let row = doc
        .split("data-row=\"")
        .skip(1)
        .find(|s| s.contains("><span class=\"label\">¶5<"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let origin = format!("http://127.0.0.1:{}", app.port);
    let decide = format!(
        r#"{{"path":"0/09BERN351.txt","row":{row},"action":"withhold","code":"B6","reason":"r","reviewer":"alice"}}"#
    );
    assert_eq!(post(&app, "/api/decide", &origin, &decide).0, 200);
    let (_, page) = get(&app, "/");
    assert_eq!(
        row_of(&page, "09BERN351.txt"),
        ["1", "4", "0", "2"],
        "{page}"
    );
    let (_, review) = get(&app, "/?filter=review");
    assert!(review.contains(">09BERN351.txt</a>"), "{review}");
    let written = std::fs::read_to_string(&decisions).unwrap();
    let line = written
        .lines()
        .find_map(|l| l.trim().strip_prefix("line: "))
        .unwrap();
    let bob = format!(r#"{{"path":"0/09BERN351.txt","line":{line},"reviewer":"bob"}}"#);
    assert_eq!(post(&app, "/api/approve", &origin, &bob).0, 200);
    let (_, page) = get(&app, "/");
    assert_eq!(
        row_of(&page, "09BERN351.txt"),
        ["1", "4", "0", "1"],
        "{page}"
    );
    // A filter's text is not echoed into the page.
    let (_, odd) = get(&app, "/?filter=%3Cscript%3E");
    assert!(!odd.contains("<script>"), "{odd}");
}

#[test]
fn a_refused_change_leaves_the_decisions_file_as_it_was() {
    let (dir, docs) = folder();
    let decisions = dir.path().join("decisions.yaml");
    let app = start(&docs, &decisions);
    let origin = format!("http://127.0.0.1:{}", app.port);
    let (_, doc) = get(&app, "/doc?path=0/09BERN351.txt");
    let row = doc
        .split("data-row=\"")
        .skip(1)
        .find(|s| s.contains("><span class=\"label\">¶5<"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let row3 = doc
        .split("data-row=\"")
        .skip(1)
        .find(|s| s.contains("><span class=\"label\">¶3<"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let decide = |code: &str, reason: &str| {
        format!(
            r#"{{"path":"0/09BERN351.txt","row":{row},"action":"withhold","code":"{code}","reason":"{reason}","reviewer":"alice"}}"#
        )
    };
    assert_eq!(
        post(&app, "/api/decide", &origin, &decide("B6", "first")).0,
        200
    );
    let before = std::fs::read(&decisions).unwrap();
    for (body, why) in [
        (decide("B99", "a code outside the code set"), "code"),
        (decide("B6", ""), "no reason"),
        (
            r#"{"path":"0/09BERN351.txt","row":0,"action":"release","reason":"r","reviewer":"alice"}"#
                .to_string(),
            "a header part",
        ),
        (
            format!(r#"{{"path":"0/09BERN351.txt","row":{row},"action":"redact","code":"B6","span":"not in it","reason":"r","reviewer":"alice"}}"#),
            "a span not in the portion",
        ),
        (
            format!(r#"{{"path":"0/09BERN351.txt","row":{row3},"action":"release","reason":"r","reviewer":"alice"}}"#),
            "a (C) paragraph released above the target without an authority",
        ),
        (r#"{"path":"0/09BERN351.txt","row":1,"colour":"red"}"#.to_string(), "unknown field"),
    ] {
        let (status, reply) = post(&app, "/api/decide", &origin, &body);
        assert_eq!(status, 400, "{why}: {reply}");
        assert!(reply.contains("\"error\""), "{why}: {reply}");
        assert_eq!(std::fs::read(&decisions).unwrap(), before, "{why}");
    }
    // With the authority the same release is saved.
    let with_authority = format!(
        r#"{{"path":"0/09BERN351.txt","row":{row3},"action":"release","reason":"r","reviewer":"alice","authority":"Department of State"}}"#
    );
    let without = with_authority.replace(r#","authority":"Department of State""#, "");
    let (_, reply) = post(&app, "/api/decide", &origin, &without);
    assert!(
        reply.contains("¶3") && reply.contains("authority"),
        "{reply}"
    );
    let (status, reply) = post(&app, "/api/decide", &origin, &with_authority);
    assert_eq!(status, 200, "{reply}");
    assert!(
        std::fs::read_to_string(&decisions)
            .unwrap()
            .contains("authority: \"Department of State\"")
    );
    // Written by replacing the file: no temporary file is left beside it.
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut beside = beside;
    beside.sort();
    assert_eq!(beside, ["decisions.yaml", "docs", "outside.txt"]);
}

/// A document the app cannot read is listed with its failure, the file named once in
/// the message, and the others are served.
#[test]
fn a_document_that_cannot_be_read_is_listed_as_failed() {
    let (dir, docs) = folder();
    std::fs::write(docs.join("binary.txt"), b"\x00\x01\x02\xff not text").unwrap();
    let app = start(&docs, &dir.path().join("decisions.yaml"));
    let (status, page) = get(&app, "/");
    assert_eq!(status, 200);
    let row = page
        .split("<tr>")
        .find(|r| r.contains("binary.txt"))
        .unwrap_or_else(|| panic!("binary.txt not listed: {page}"));
    // The message names the file once, as on the command line.
    assert!(
        row.contains(
            "class=\"err\">binary.txt: binary data (control byte at offset 0): not a text document</td>"
        ),
        "{row}"
    );
    assert!(page.contains(">09BERN351.txt</a>"), "{page}");
}
