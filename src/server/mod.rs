//! `acrlint server`: the Language Server Protocol over stdio, on `lsp-server`'s message types and
//! framing and `lsp-types`' protocol types, with a synchronous main loop (no async runtime).
//!
//! Diagnostics are published on open, on save, on close and, debounced, on change; each
//! re-analyses the document's scope with the open documents' text laid over the disk
//! ([`session::Session`]). Hover shows a finding's rule; code actions insert an
//! `acrlint:ignore` comment.

pub mod convert;
pub mod session;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, HoverContents, MarkupContent, MarkupKind,
    Position, Range, TextEdit, Url, WorkspaceEdit,
};

use session::{Publish, Session};

/// How long after the last keystroke a changed document is analysed.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// What the reader thread passes on.
enum Incoming {
    Message(Message),
    /// A frame whose content is not a JSON-RPC message.
    Malformed(String),
}

/// Serve on stdin and stdout until `exit` (or the input ends). `Err` when stdout fails.
pub fn run() -> Result<(), String> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            read_messages(&mut input, |m| tx.send(m).is_ok());
        })
        .map_err(|e| format!("cannot start the reader thread: {e}"))?;
    let stdout = std::io::stdout();
    let mut server = Server::new(Box::new(stdout.lock()));
    server.serve(&rx)
}

/// Read framed messages until the input ends; a frame that is not a message is passed on as
/// malformed and reading goes on with the next frame.
fn read_messages(input: &mut impl BufRead, mut send: impl FnMut(Incoming) -> bool) {
    loop {
        let incoming = match Message::read(input) {
            Ok(Some(message)) => Incoming::Message(message),
            Ok(None) => return,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                Incoming::Malformed(e.to_string())
            }
            Err(_) => return,
        };
        if !send(incoming) {
            return;
        }
    }
}

struct Server {
    out: Box<dyn Write>,
    session: Session,
    initialized: bool,
    shutdown: bool,
    /// Whether the client lets the server register file watchers.
    watch_files: bool,
    /// Changed documents waiting for the debounce, with when to analyse them.
    pending: Vec<PathBuf>,
    deadline: Option<Instant>,
}

impl Server {
    fn new(out: Box<dyn Write>) -> Server {
        Server {
            out,
            session: Session::default(),
            initialized: false,
            shutdown: false,
            watch_files: false,
            pending: Vec::new(),
            deadline: None,
        }
    }

    fn serve(&mut self, rx: &crossbeam_channel::Receiver<Incoming>) -> Result<(), String> {
        loop {
            let incoming = match self.deadline {
                Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => None,
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
                },
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
            };
            match incoming {
                None => self.flush_pending()?,
                Some(Incoming::Malformed(e)) => {
                    // JSON-RPC: a parse error is answered with a null id.
                    let text = serde_json::json!({
                        "jsonrpc": "2.0",
                        "id": null,
                        "error": { "code": ErrorCode::ParseError as i32, "message": e },
                    });
                    self.write_raw(&text.to_string())?;
                }
                Some(Incoming::Message(Message::Request(r))) => self.request(r)?,
                Some(Incoming::Message(Message::Notification(n))) => {
                    if n.method == note::Exit::METHOD {
                        return match self.shutdown {
                            true => Ok(()),
                            false => Err("exit before shutdown".into()),
                        };
                    }
                    self.notification(n)?;
                }
                Some(Incoming::Message(Message::Response(_))) => {}
            }
            self.flush_log()?;
        }
    }

    fn write(&mut self, message: Message) -> Result<(), String> {
        message
            .write(&mut self.out)
            .map_err(|e| format!("cannot write to the client: {e}"))
    }

    fn write_raw(&mut self, json: &str) -> Result<(), String> {
        write!(self.out, "Content-Length: {}\r\n\r\n{json}", json.len())
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("cannot write to the client: {e}"))
    }

    fn notify<N: lsp_types::notification::Notification>(
        &mut self,
        params: N::Params,
    ) -> Result<(), String> {
        self.write(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
    }

    fn flush_log(&mut self) -> Result<(), String> {
        for m in std::mem::take(&mut self.session.log) {
            self.notify::<note::LogMessage>(lsp_types::LogMessageParams {
                typ: match m.error {
                    true => lsp_types::MessageType::ERROR,
                    false => lsp_types::MessageType::INFO,
                },
                message: m.text,
            })?;
        }
        Ok(())
    }

    fn publish(&mut self, publish: Publish) -> Result<(), String> {
        for (path, diagnostics) in publish {
            let Some(uri) = convert::uri(&path) else {
                continue;
            };
            self.notify::<note::PublishDiagnostics>(lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            })?;
        }
        Ok(())
    }

    fn flush_pending(&mut self) -> Result<(), String> {
        self.deadline = None;
        let paths = std::mem::take(&mut self.pending);
        let publish = self.session.analyse_files(&paths);
        self.publish(publish)
    }

    fn request(&mut self, r: Request) -> Result<(), String> {
        let id = r.id.clone();
        let result = if r.method == req::Initialize::METHOD {
            self.initialize(r)
        } else if !self.initialized {
            Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized".to_string(),
            ))
        } else if self.shutdown {
            Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_string(),
            ))
        } else {
            match r.method.as_str() {
                req::Shutdown::METHOD => {
                    self.shutdown = true;
                    Ok(serde_json::Value::Null)
                }
                req::HoverRequest::METHOD => self.hover(r),
                req::CodeActionRequest::METHOD => self.code_action(r),
                _ => Err((
                    ErrorCode::MethodNotFound,
                    format!("unknown method {}", r.method),
                )),
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.write(Message::Response(response))
    }

    fn initialize(&mut self, r: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        if self.initialized {
            return Err((ErrorCode::InvalidRequest, "already initialized".into()));
        }
        let params: lsp_types::InitializeParams = parse(r.params)?;
        self.session.show_unknown = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("showUnknown"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        self.watch_files = (params.capabilities.workspace.as_ref())
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let mut roots: Vec<Url> = params
            .workspace_folders
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.uri)
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(params.root_uri);
        }
        for uri in roots {
            if let Ok(path) = uri.to_file_path() {
                self.session.add_folder(&path);
            }
        }
        self.initialized = true;
        let capabilities = lsp_types::ServerCapabilities {
            text_document_sync: Some(lsp_types::TextDocumentSyncCapability::Options(
                lsp_types::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp_types::TextDocumentSyncKind::FULL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::SaveOptions(
                        lsp_types::SaveOptions {
                            include_text: Some(true),
                        },
                    )),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            workspace: Some(lsp_types::WorkspaceServerCapabilities {
                workspace_folders: Some(lsp_types::WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(lsp_types::OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..Default::default()
        };
        to_value(lsp_types::InitializeResult {
            capabilities,
            server_info: Some(lsp_types::ServerInfo {
                name: "acrlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    fn notification(&mut self, n: Notification) -> Result<(), String> {
        if !self.initialized {
            return Ok(());
        }
        let publish = match n.method.as_str() {
            note::Initialized::METHOD => {
                self.register_watchers()?;
                self.session.analyse_all()
            }
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Ok(path) = p.text_document.uri.to_file_path() else {
                    return Ok(());
                };
                self.session.set_text(&path, &p.text_document.text);
                self.session.analyse_files(&[path])
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Ok(path) = p.text_document.uri.to_file_path() else {
                    return Ok(());
                };
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.session.set_text(&path, &change.text);
                    if !self.pending.contains(&path) {
                        self.pending.push(path);
                    }
                    self.deadline = Some(Instant::now() + DEBOUNCE);
                }
                Vec::new()
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidSaveTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Ok(path) = p.text_document.uri.to_file_path() else {
                    return Ok(());
                };
                if let Some(text) = p.text {
                    self.session.set_text(&path, &text);
                }
                self.pending.retain(|p| *p != path);
                self.session.analyse_files(&[path])
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Ok(path) = p.text_document.uri.to_file_path() else {
                    return Ok(());
                };
                self.session.close(&path);
                self.pending.retain(|p| *p != path);
                self.session.analyse_files(&[path])
            }
            note::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = parse::<lsp_types::DidChangeWatchedFilesParams>(n.params) else {
                    return Ok(());
                };
                let paths: Vec<PathBuf> = (p.changes.iter())
                    .filter_map(|c| c.uri.to_file_path().ok())
                    .collect();
                let config = paths
                    .iter()
                    .any(|p| p.file_name().is_some_and(|n| n == crate::config::FILE_NAME));
                if config {
                    self.session.reload()
                } else {
                    // Files changed on disk that are not open: their scopes see the new text.
                    let closed: Vec<PathBuf> = (paths.into_iter())
                        .filter(|p| !self.session.is_open(p))
                        .collect();
                    self.session.analyse_files(&closed)
                }
            }
            note::DidChangeWorkspaceFolders::METHOD => {
                let Ok(p) = parse::<lsp_types::DidChangeWorkspaceFoldersParams>(n.params) else {
                    return Ok(());
                };
                let mut publish = Vec::new();
                for f in p.event.removed {
                    if let Ok(path) = f.uri.to_file_path() {
                        publish.extend(self.session.remove_folder(&path));
                    }
                }
                if !p.event.added.is_empty() {
                    for f in p.event.added {
                        if let Ok(path) = f.uri.to_file_path() {
                            self.session.add_folder(&path);
                        }
                    }
                    publish.extend(self.session.analyse_all());
                }
                publish
            }
            _ => Vec::new(),
        };
        self.publish(publish)
    }

    /// Ask the client to tell about changes to configuration and input files on disk.
    fn register_watchers(&mut self) -> Result<(), String> {
        if !self.watch_files {
            return Ok(());
        }
        // YAML too: a configuration may read its settings from it (`file()`).
        let watchers = [
            "**/.acrlint.toml",
            "**/*.{tf,tfvars,json,bicep,bicepparam,yaml,yml}",
        ]
        .map(|glob| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(glob.into()),
            kind: None,
        })
        .to_vec();
        let registration = lsp_types::Registration {
            id: "acrlint-watched-files".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers },
            )
            .ok(),
        };
        self.write(Message::Request(Request::new(
            RequestId::from("acrlint-register-watchers".to_string()),
            req::RegisterCapability::METHOD.into(),
            lsp_types::RegistrationParams {
                registrations: vec![registration],
            },
        )))
    }

    /// The open document at `uri` and a position checked against its text.
    fn document(&self, uri: &Url, at: Position) -> Result<PathBuf, (ErrorCode, String)> {
        let path = uri
            .to_file_path()
            .map_err(|()| (ErrorCode::InvalidParams, format!("not a file URI: {uri}")))?;
        let text = self.session.text(&path).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("document not open: {uri}"),
            )
        })?;
        let lines = text.split('\n').count() as u32;
        if at.line >= lines {
            return Err((
                ErrorCode::InvalidParams,
                format!(
                    "position {}:{} is past the end of the document ({lines} lines)",
                    at.line, at.character
                ),
            ));
        }
        Ok(path)
    }

    fn hover(&mut self, r: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let p: lsp_types::HoverParams = parse(r.params)?;
        let at = p.text_document_position_params.position;
        let path = self.document(&p.text_document_position_params.text_document.uri, at)?;
        let Some(origin) = crate::load::Origin::of(&path) else {
            return Ok(serde_json::Value::Null);
        };
        let hit = self.session.entries(&path).into_iter().find(|e| {
            let range = e.diagnostic.range;
            e.rule.is_some() && contains(range, at)
        });
        let Some(entry) = hit else {
            return Ok(serde_json::Value::Null);
        };
        let Some(text) = entry.rule.and_then(|r| convert::hover_text(r, origin)) else {
            return Ok(serde_json::Value::Null);
        };
        to_value(lsp_types::Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(entry.diagnostic.range),
        })
    }

    fn code_action(&mut self, r: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let p: lsp_types::CodeActionParams = parse(r.params)?;
        let path = self.document(&p.text_document.uri, p.range.start)?;
        self.document(&p.text_document.uri, p.range.end)?;
        let mut actions: Vec<CodeActionOrCommand> = Vec::new();
        for entry in self.session.entries(&path) {
            let Some(rule) = entry.rule else { continue };
            if !overlaps(entry.diagnostic.range, p.range) {
                continue;
            }
            // The finding's fix first (preferred when safe), then the suppressions.
            if let Some(fix) = &entry.fix {
                let mut changes: std::collections::HashMap<_, Vec<TextEdit>> = Default::default();
                for (path, edit) in &fix.edits {
                    if let Some(uri) = convert::uri(path) {
                        changes.entry(uri).or_default().push(edit.clone());
                    }
                }
                let unsafe_note = if fix.safe {
                    ""
                } else {
                    " (changes what is deployed)"
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Fix {rule}: {}{unsafe_note}", fix.title),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![entry.diagnostic.clone()]),
                    is_preferred: Some(fix.safe),
                    edit: Some(WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    }),
                    ..CodeAction::default()
                }));
            }
            for at in &entry.suppress {
                let Some(uri) = convert::uri(&at.path) else {
                    continue;
                };
                let start = Position::new(at.line, 0);
                let edit = TextEdit::new(Range::new(start, start), at.text(rule));
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "Suppress {rule} with a reason (acrlint:ignore {})",
                        at.place()
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![entry.diagnostic.clone()]),
                    edit: Some(WorkspaceEdit {
                        changes: Some([(uri, vec![edit])].into_iter().collect()),
                        ..WorkspaceEdit::default()
                    }),
                    ..CodeAction::default()
                }));
            }
        }
        to_value(actions)
    }
}

fn contains(range: Range, at: Position) -> bool {
    range.start <= at && at <= range.end
}

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn parse<T: serde::de::DeserializeOwned>(
    params: serde_json::Value,
) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_value(value: impl serde::Serialize) -> Result<serde_json::Value, (ErrorCode, String)> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_frames_are_passed_on_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not jsonContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let mut seen = Vec::new();
        read_messages(&mut input.as_bytes(), |m| {
            seen.push(match m {
                Incoming::Message(m) => format!("{m:?}"),
                Incoming::Malformed(_) => "malformed".into(),
            });
            true
        });
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0], "malformed");
        assert!(seen[1].contains("initialized"));
    }

    #[test]
    fn ranges() {
        let r = Range::new(Position::new(1, 2), Position::new(1, 8));
        assert!(contains(r, Position::new(1, 2)));
        assert!(contains(r, Position::new(1, 8)));
        assert!(!contains(r, Position::new(2, 0)));
        assert!(overlaps(
            r,
            Range::new(Position::new(0, 0), Position::new(1, 3))
        ));
        assert!(!overlaps(
            r,
            Range::new(Position::new(2, 0), Position::new(2, 1))
        ));
    }
}
