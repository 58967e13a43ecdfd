//! The HTTP side of the review app on `tiny_http`: one thread answers requests in turn
//! (a reviewer's clicks; no concurrency needed, and the decisions file then has one
//! writer). Routes: `/` the document list, `/doc?path=…` one document, `/app.js`,
//! `POST /api/decide` and `POST /api/approve`.

use super::edit::{self, ApproveRequest, DecideRequest, Target};
use super::guard::{self, Token};
use super::pages;
use crate::decisions::{self, DecisionsFile};
use crate::document::Document;
use crate::policy::{Context, Policy};
use crate::preview::{self, Meta, Preview};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use tiny_http::{Header, Method, Request, Response, Server};

/// What the app serves.
pub struct Config {
    /// The folders (or files) given, canonical.
    pub roots: Vec<PathBuf>,
    /// Every document under them, canonical.
    pub docs: Vec<PathBuf>,
    pub policy: Policy,
    pub context: Context,
    /// Where decisions are written (atomically, never over a document).
    pub decisions_path: PathBuf,
    pub decisions: DecisionsFile,
}

pub struct App {
    cfg: Config,
    token: Token,
    port: u16,
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// Largest request body read.
const MAX_BODY: u64 = 64 * 1024;

/// Binds 127.0.0.1 on a free port, calls `ready` with the address to open (token
/// included), then serves until the process ends.
pub fn serve(cfg: Config, ready: impl FnOnce(&str)) -> std::io::Result<()> {
    let server = Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| std::io::Error::other("not bound to an IP address"))?;
    let mut app = App {
        cfg,
        token: Token::random()?,
        port,
    };
    ready(&format!(
        "http://127.0.0.1:{port}/?token={}",
        app.token.as_str()
    ));
    for mut req in server.incoming_requests() {
        let reply = app.handle(&mut req);
        let _ = req.respond(reply);
    }
    Ok(())
}

fn header<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn with_headers(mut r: Reply, csp: &str, kind: &str) -> Reply {
    for (k, v) in [
        ("Content-Type", kind),
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ] {
        if let Ok(h) = Header::from_bytes(k, v) {
            r.add_header(h);
        }
    }
    r
}

fn page(status: u16, body: String) -> Reply {
    let csp = guard::csp(&body);
    with_headers(
        Response::from_string(body).with_status_code(status),
        &csp,
        "text/html; charset=utf-8",
    )
}

fn json(status: u16, value: serde_json::Value) -> Reply {
    with_headers(
        Response::from_string(value.to_string()).with_status_code(status),
        "default-src 'none'",
        "application/json",
    )
}

fn refuse(status: u16, why: &str) -> Reply {
    page(status, pages::message(status, why))
}

/// The query parameter `key`, percent-decoded.
fn param(query: &str, key: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(pages::percent_decode)
}

impl App {
    fn handle(&mut self, req: &mut Request) -> Reply {
        let url = req.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let post = *req.method() == Method::Post;
        if !guard::host_ok(header(req, "Host"), self.port) {
            return refuse(403, "wrong Host");
        }
        if !guard::origin_ok(header(req, "Origin"), self.port, post) {
            return refuse(403, "requests from other origins are refused");
        }
        let given = guard::token_of(
            Some(query),
            header(req, "Cookie"),
            header(req, "X-Declass-Token"),
        );
        if !given.iter().any(|t| self.token.matches(t)) {
            return refuse(
                403,
                "open the address declass review printed (it carries the token)",
            );
        }
        let reply = match (req.method(), path) {
            (Method::Get, "/") => self.list(query),
            (Method::Get, "/doc") => self.document(query),
            (Method::Get, "/app.js") => with_headers(
                Response::from_string(pages::SCRIPT),
                "default-src 'none'",
                "text/javascript; charset=utf-8",
            ),
            (Method::Post, "/api/decide" | "/api/approve") => {
                let mut body = String::new();
                if req
                    .as_reader()
                    .take(MAX_BODY)
                    .read_to_string(&mut body)
                    .is_err()
                {
                    return json(400, serde_json::json!({"error": "unreadable body"}));
                }
                if !header(req, "Content-Type").is_some_and(|c| c.starts_with("application/json")) {
                    return json(415, serde_json::json!({"error": "send JSON"}));
                }
                self.change(path, &body)
            }
            _ => refuse(404, "no such page"),
        };
        // The token in the address becomes a cookie the browser sends from then on.
        let cookie = format!(
            "{}={}; HttpOnly; SameSite=Strict; Path=/",
            guard::COOKIE,
            self.token.as_str()
        );
        match Header::from_bytes("Set-Cookie", cookie) {
            Ok(h) => reply.with_header(h),
            Err(()) => reply,
        }
    }

    /// The document the key `N/relative/path` names, if it is one of the documents under
    /// root N: `..`, absolute paths and links out of the folder are refused.
    fn resolve(&self, key: &str) -> Result<(PathBuf, String), Reply> {
        let app = self;
        let forbidden = || refuse(403, "that path is outside the folders under review");
        let (root, rel) = key.split_once('/').ok_or_else(forbidden)?;
        let root = root
            .parse::<usize>()
            .ok()
            .and_then(|i| app.cfg.roots.get(i))
            .ok_or_else(forbidden)?;
        let relp = Path::new(rel);
        if rel.is_empty()
            || relp
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(forbidden());
        }
        let base = if root.is_file() {
            root.parent().unwrap_or(root)
        } else {
            root.as_path()
        };
        let full = base
            .join(relp)
            .canonicalize()
            .map_err(|_| refuse(404, "no such document"))?;
        if !full.starts_with(base) || !app.cfg.docs.contains(&full) {
            return Err(forbidden());
        }
        Ok((full, rel.to_string()))
    }

    /// Reads, parses and decides one document, reviewer decisions applied.
    fn load(&self, full: &Path, rel: &str) -> Result<Loaded, String> {
        let app = self;
        let input = std::fs::read(full).map_err(|e| format!("{rel}: {e}"))?;
        let name = full.file_name().and_then(|n| n.to_str());
        let doc = crate::parse::parse(&input, name).map_err(|e| format!("{rel}: {e}"))?;
        let mut decisions = app.cfg.policy.decide(&doc, &app.cfg.context);
        let applied = decisions::apply(&app.cfg.decisions, &doc, &input, rel, None, &mut decisions);
        let warnings = applied
            .refusals
            .iter()
            .map(|r| {
                format!(
                    "decision at line {} on {}: {}",
                    r.at.0, r.portion, r.message
                )
            })
            .collect();
        let preview = preview::build(
            &doc,
            &decisions,
            Meta {
                document: rel.to_string(),
                policy: app.cfg.policy.name.clone(),
                policy_source: app.cfg.policy.source.clone(),
                as_of: app.cfg.context.as_of,
            },
        );
        Ok(Loaded {
            input,
            doc,
            preview,
            warnings,
            unapproved: applied.unapproved.len(),
        })
    }

    fn keys(&self) -> Vec<(String, PathBuf)> {
        let app = self;
        let mut out = Vec::new();
        for d in &app.cfg.docs {
            for (i, root) in app.cfg.roots.iter().enumerate() {
                let base = if root.is_file() {
                    root.parent().unwrap_or(root)
                } else {
                    root
                };
                if let Ok(rel) = d.strip_prefix(base)
                    && let Some(rel) = rel.to_str()
                {
                    out.push((format!("{i}/{rel}"), d.clone()));
                    break;
                }
            }
        }
        out
    }

    fn list(&self, query: &str) -> Reply {
        let filter = param(query, "filter").unwrap_or_default();
        let mut rows = Vec::new();
        for (key, full) in self.keys() {
            let rel = key
                .split_once('/')
                .map_or(key.as_str(), |k| k.1)
                .to_string();
            let row = match self.load(&full, &rel) {
                Ok(l) => pages::ListRow::of(&key, &l.preview, l.unapproved),
                Err(e) => pages::ListRow::failed(&key, e),
            };
            if row.shown(&filter) {
                rows.push(row);
            }
        }
        page(
            200,
            pages::list(
                &rows,
                &filter,
                &self.cfg.decisions_path.display().to_string(),
            ),
        )
    }

    fn document(&self, query: &str) -> Reply {
        let key = param(query, "path").unwrap_or_default();
        let (full, rel) = match self.resolve(&key) {
            Ok(x) => x,
            Err(r) => return r,
        };
        match self.load(&full, &rel) {
            Ok(l) => {
                let entry = self.cfg.decisions.for_document(&rel, None);
                page(
                    200,
                    pages::document(
                        &key,
                        &l.preview,
                        entry,
                        &l.warnings,
                        self.cfg.policy.code_set(),
                    ),
                )
            }
            Err(e) => refuse(422, &e),
        }
    }

    fn change(&mut self, path: &str, body: &str) -> Reply {
        let bad = |e: String| json(400, serde_json::json!({ "error": e }));
        let change = if path == "/api/decide" {
            serde_json::from_str(body).map(Change::Decide)
        } else {
            serde_json::from_str(body).map(Change::Approve)
        };
        let change = match change {
            Ok(c) => c,
            Err(e) => return bad(e.to_string()),
        };
        let key = match &change {
            Change::Decide(r) => &r.path,
            Change::Approve(r) => &r.path,
        };
        let (full, rel) = match self.resolve(key) {
            Ok(x) => x,
            Err(_) => {
                return json(
                    403,
                    serde_json::json!({"error": "outside the folders under review"}),
                );
            }
        };
        let l = match self.load(&full, &rel) {
            Ok(l) => l,
            Err(e) => return bad(e),
        };
        let mut file = self.cfg.decisions.clone();
        let date = self.cfg.context.as_of;
        let result = match &change {
            Change::Decide(req) => {
                let t = Target {
                    path: &rel,
                    input: &l.input,
                    doc: &l.doc,
                };
                edit::decide(
                    &mut file,
                    &t,
                    &l.preview,
                    self.cfg.policy.code_set(),
                    req,
                    date,
                )
            }
            Change::Approve(req) => edit::approve(&mut file, &rel, req, date),
        };
        if let Err(e) = result {
            return bad(e);
        }
        // What is written must read back as a valid file, or nothing is written.
        let yaml = decisions::to_yaml(&file);
        let name = self.cfg.decisions_path.display().to_string();
        let checked = match decisions::load(&name, &yaml, self.cfg.policy.code_set()) {
            Ok(f) => f,
            Err(e) => return bad(e.to_string()),
        };
        // Nor is a decision that would not apply (a release above the target without an
        // authority, say): the reviewer hears why now, not as a warning after saving.
        if let Some(why) = self.newly_refused(&checked, &l, &rel) {
            return bad(why);
        }
        if let Err(e) = crate::output::write_atomic(&self.cfg.decisions_path, yaml.as_bytes()) {
            return json(500, serde_json::json!({"error": format!("{name}: {e}")}));
        }
        self.cfg.decisions = checked;
        json(200, serde_json::json!({"ok": true}))
    }
}

impl App {
    /// The first refusal that applying `file` to the document gives and applying the
    /// current decisions does not.
    fn newly_refused(&self, file: &DecisionsFile, l: &Loaded, rel: &str) -> Option<String> {
        let refusals = |f: &DecisionsFile| {
            let mut decided = self.cfg.policy.decide(&l.doc, &self.cfg.context);
            decisions::apply(f, &l.doc, &l.input, rel, None, &mut decided)
                .refusals
                .into_iter()
                .map(|r| (r.portion, r.message))
                .collect::<Vec<_>>()
        };
        let before = refusals(&self.cfg.decisions);
        refusals(file)
            .into_iter()
            .find(|r| !before.contains(r))
            .map(|(portion, message)| format!("{portion}: {message}"))
    }
}

enum Change {
    Decide(DecideRequest),
    Approve(ApproveRequest),
}

struct Loaded {
    input: Vec<u8>,
    doc: Document,
    preview: Preview,
    warnings: Vec<String>,
    unapproved: usize,
}
