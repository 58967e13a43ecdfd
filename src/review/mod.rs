//! `declass review`: a local web app in which reviewers make the decisions of a decisions
//! file ([`crate::decisions`]) while looking at the side-by-side preview.
//!
//! ```text
//! folder ──parse──▶ Document ──policy──▶ Decisions ──decisions::apply──▶ preview ──html──▶ browser
//!                                                         ▲                                  │
//!                                   decisions file ◀──────┴──── edit (release/withhold/redact, approve)
//! ```
//!
//! The pages are the preview's own HTML ([`crate::preview::html::render_with`]) with a
//! decision panel and one script added; every change goes through [`edit`], is validated
//! by reading the written YAML back, and replaces the decisions file atomically.
//! Security ([`guard`]): bound to 127.0.0.1 only, a random token (in the printed address,
//! then an HttpOnly SameSite=Strict cookie) on every request, the Host and Origin checked,
//! a strict Content-Security-Policy, every document text escaped, paths outside the given
//! folders refused. Nothing is fetched from outside.

mod edit;
mod guard;
mod pages;
mod server;

pub use guard::Token;
pub use server::{App, Config, serve};
