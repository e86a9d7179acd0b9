//! The Bicep parser: a hand-written recursive descent over the lexer's tokens, following the
//! grammar of the Bicep compiler (`docs/grammar.md`, `Parsing/BaseParser.cs`), for `.bicep` and
//! `.bicepparam` files alike. Line breaks are significant as in Bicep: a statement ends at one,
//! array and object items are separated by them (or commas), and they are allowed only where the
//! compiler allows them (after `(` and `,` in calls, around a `?:`, after `=>`, before `|`).
//!
//! Errors never stop the parse. An error inside an array, object or call is reported where the
//! parse stopped and the rest of that line is skipped; an error in a statement skips to the next
//! line that starts a statement. A bracket that is never closed is reported at its opening, and
//! a list stops at a line that starts a statement at the first column, so that one missing `}`
//! does not swallow the rest of the file. Nesting is bounded by the limits' JSON depth; every
//! loop consumes a token or ends, so the parse is linear and always terminates.

use super::ast::*;
use super::lexer::{lex, unescape, Tok, Token};

/// Parse a `.bicep` or `.bicepparam` file. Never panics; always returns a tree.
pub fn parse(text: &str) -> Parsed {
    let lexed = lex(text);
    let mut p = Parser {
        text,
        toks: lexed.tokens,
        pos: 0,
        errors: lexed.errors,
        depth: 0,
        max_depth: crate::limits::current().json_depth.max(1),
        closers: Vec::new(),
        prev_end: 0,
    };
    let file = p.file();
    let mut errors = p.errors;
    errors.sort_by_key(|e| e.span.start);
    errors.dedup_by(|a, b| a.span.start == b.span.start);
    Parsed { file, errors }
}

/// What closes a list the parser is inside: a bracket, or (`Tok::StrRight`) a string hole.
type Closer = Tok;

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Token>,
    pos: usize,
    errors: Vec<SyntaxError>,
    depth: usize,
    max_depth: usize,
    closers: Vec<Closer>,
    prev_end: usize,
}

fn binary_op(k: Tok) -> Option<(BinaryOp, u8)> {
    Some(match k {
        Tok::Star => (BinaryOp::Mul, 100),
        Tok::Slash => (BinaryOp::Div, 100),
        Tok::Percent => (BinaryOp::Mod, 100),
        Tok::Plus => (BinaryOp::Add, 90),
        Tok::Minus => (BinaryOp::Sub, 90),
        Tok::Gt => (BinaryOp::Gt, 80),
        Tok::GtEq => (BinaryOp::GtEq, 80),
        Tok::Lt => (BinaryOp::Lt, 80),
        Tok::LtEq => (BinaryOp::LtEq, 80),
        Tok::EqEq => (BinaryOp::Eq, 70),
        Tok::NotEq => (BinaryOp::NotEq, 70),
        Tok::EqI => (BinaryOp::EqI, 70),
        Tok::NotEqI => (BinaryOp::NotEqI, 70),
        Tok::AndAnd => (BinaryOp::And, 50),
        Tok::OrOr => (BinaryOp::Or, 40),
        Tok::DoubleQuestion => (BinaryOp::Coalesce, 30),
        _ => return None,
    })
}

fn describe(k: Tok) -> &'static str {
    match k {
        Tok::RBrace => "`{`",
        Tok::RSquare => "`[`",
        Tok::RParen => "`(`",
        Tok::Gt => "`<`",
        _ => "bracket",
    }
}

fn closing_text(k: Tok) -> &'static str {
    match k {
        Tok::RBrace => "`}`",
        Tok::RSquare => "`]`",
        Tok::RParen => "`)`",
        Tok::Gt => "`>`",
        _ => "the closing bracket",
    }
}

impl<'a> Parser<'a> {
    // ----- tokens -----

    fn nth(&self, k: usize) -> Token {
        let i = (self.pos + k).min(self.toks.len() - 1);
        self.toks[i]
    }

    fn peek(&self) -> Tok {
        self.toks[self.pos].kind
    }

    fn cur(&self) -> Token {
        self.toks[self.pos]
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos];
        if t.kind != Tok::Eof {
            self.pos += 1;
            if t.kind != Tok::NewLine {
                self.prev_end = t.end;
            }
        }
        t
    }

    fn at(&self, k: Tok) -> bool {
        self.peek() == k
    }

    fn eat(&mut self, k: Tok) -> bool {
        if self.at(k) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn tok_text(&self, t: Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    fn at_kw(&self, word: &str) -> bool {
        let t = self.cur();
        t.kind == Tok::Ident && self.tok_text(t) == word
    }

    fn kw_at(&self, i: usize, word: &str) -> bool {
        let t = self.toks[i.min(self.toks.len() - 1)];
        t.kind == Tok::Ident && self.tok_text(t) == word
    }

    fn skip_newlines(&mut self) {
        while self.eat(Tok::NewLine) {}
    }

    /// The current token is the first of its line.
    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.toks[self.pos - 1].kind == Tok::NewLine
    }

    fn at_column0(&self, i: usize) -> bool {
        let s = self.toks[i].start;
        let b = self.text.as_bytes();
        s == 0 || matches!(b[s - 1], b'\n' | b'\r') || (s == 3 && self.text.starts_with('\u{feff}'))
    }

    /// Token `i` starts a statement: a declaration keyword followed by what that declaration
    /// takes next, or a decorator.
    fn starts_statement(&self, i: usize) -> bool {
        let t = self.toks[i.min(self.toks.len() - 1)];
        let next = self.toks[(i + 1).min(self.toks.len() - 1)].kind;
        match t.kind {
            Tok::At => next == Tok::Ident,
            Tok::Ident => match self.tok_text(t) {
                "param" | "var" | "resource" | "module" | "output" | "type" | "func"
                | "metadata" | "assert" | "test" | "extensionConfig" => next == Tok::Ident,
                "targetScope" => next == Tok::Assign,
                "import" => matches!(
                    next,
                    Tok::LBrace | Tok::Star | Tok::StrComplete | Tok::StrLeft
                ),
                "extension" | "provider" => {
                    matches!(next, Tok::Ident | Tok::StrComplete | Tok::StrLeft)
                }
                "using" => matches!(next, Tok::StrComplete | Tok::StrLeft | Tok::Ident),
                "extends" => matches!(next, Tok::StrComplete | Tok::StrLeft),
                _ => false,
            },
            _ => false,
        }
    }

    // ----- errors -----

    fn error(&mut self, span: Span, message: impl Into<String>) {
        if let Some(last) = self.errors.last() {
            if last.span.start == span.start {
                return;
            }
        }
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
        });
    }

    fn error_span(&self, t: Token) -> Span {
        match t.kind {
            Tok::NewLine => t.start..t.start + 1,
            Tok::Eof => t.start..t.start,
            _ => t.start..t.end,
        }
    }

    fn error_here(&mut self, message: impl Into<String>) {
        let span = self.error_span(self.cur());
        self.error(span, message);
    }

    fn expect(&mut self, k: Tok, message: &str) -> Result<Token, ()> {
        if self.at(k) {
            Ok(self.bump())
        } else {
            self.error_here(message);
            Err(())
        }
    }

    fn ident(&mut self, message: &str) -> Result<Ident, ()> {
        if self.at(Tok::Ident) {
            let t = self.bump();
            Ok(Ident {
                name: self.tok_text(t).to_string(),
                span: t.start..t.end,
            })
        } else {
            self.error_here(message);
            Err(())
        }
    }

    /// An identifier, or a keyword token (`true`, `null`) where names are allowed.
    fn name_like(&mut self) -> Option<Ident> {
        if matches!(self.peek(), Tok::Ident | Tok::True | Tok::False | Tok::Null) {
            let t = self.bump();
            Some(Ident {
                name: self.tok_text(t).to_string(),
                span: t.start..t.end,
            })
        } else {
            None
        }
    }

    fn enclosing(&self, k: Tok) -> bool {
        match k {
            Tok::StrMiddle | Tok::StrRight => self.closers.contains(&Tok::StrRight),
            Tok::RBrace | Tok::RSquare | Tok::RParen => self.closers.contains(&k),
            _ => false,
        }
    }

    // ----- depth -----

    fn enter(&mut self, at: Span) -> bool {
        if self.depth >= self.max_depth {
            self.error(at, "nested too deeply");
            false
        } else {
            self.depth += 1;
            true
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// After "nested too deeply" at an opening bracket (the current token): skip to its match,
    /// iteratively.
    fn skip_balanced(&mut self) {
        let mut nest = 0usize;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::LBrace | Tok::LSquare | Tok::LParen | Tok::StrLeft => nest += 1,
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight => {
                    nest = nest.saturating_sub(1);
                    if nest == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
            if nest == 0 {
                return;
            }
        }
    }

    /// Skip the rest of a broken element: up to a line break, or a closing bracket of an
    /// enclosing list (not consumed), keeping brackets opened on the way balanced; stop too at a
    /// line that starts a statement at the first column.
    fn skip_garbage(&mut self, own: Tok) {
        let mut nest = 0usize;
        loop {
            let k = self.peek();
            match k {
                Tok::Eof => return,
                Tok::NewLine => {
                    if nest == 0 {
                        return;
                    }
                    if self.at_column0(self.pos + 1) && self.starts_statement(self.pos + 1) {
                        return;
                    }
                }
                Tok::LBrace | Tok::LSquare | Tok::LParen | Tok::StrLeft => nest += 1,
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight | Tok::StrMiddle
                    if nest == 0 && (k == own || self.enclosing(k)) =>
                {
                    return
                }
                // A stray closing bracket: skipped.
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight | Tok::StrMiddle
                    if nest == 0 => {}
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight => nest -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skip to the next line that starts a statement.
    fn skip_to_statement(&mut self) {
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::NewLine => {
                    self.bump();
                    if self.starts_statement(self.pos) {
                        return;
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    // ----- file and statements -----

    fn file(&mut self) -> File {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.at(Tok::Eof) {
                break;
            }
            let errors_before = self.errors.len();
            let start = self.pos;
            let item = self.statement();
            items.push(item);
            match self.peek() {
                Tok::NewLine | Tok::Eof => {}
                _ if self.at_line_start() && self.pos > start => {}
                _ => {
                    if self.errors.len() == errors_before {
                        self.error_here("expected a new line after the statement");
                    }
                    self.skip_to_statement();
                }
            }
        }
        File { items }
    }

    fn decorators(&mut self) -> Vec<Decorator> {
        let mut out = Vec::new();
        while self.at(Tok::At) {
            let at = self.bump();
            let Some(call) = self.decorator_expr() else {
                break;
            };
            if !matches!(call.kind, ExprKind::Call { .. }) {
                self.error(call.span.clone(), "expected `(` after the decorator's name");
            }
            out.push(Decorator {
                call,
                span: at.start..self.prev_end,
            });
            match self.peek() {
                Tok::NewLine => {
                    self.bump();
                }
                Tok::Eof => {}
                _ => self.error_here("expected a new line after the decorator"),
            }
        }
        out
    }

    fn decorator_expr(&mut self) -> Option<Expr> {
        let name = match self.ident("expected the decorator's name after `@`") {
            Ok(n) => n,
            Err(()) => return None,
        };
        let mut e = Expr {
            span: name.span.clone(),
            kind: ExprKind::Ident(name.name),
        };
        if self.at(Tok::LParen) {
            e = self.call(e);
        }
        while self.at(Tok::Dot) {
            self.bump();
            let Ok(name) = self.ident("expected a name after `.`") else {
                return Some(e);
            };
            let span = e.span.start..name.span.end;
            e = Expr {
                kind: ExprKind::Member {
                    target: Box::new(e),
                    name,
                    safe: false,
                },
                span,
            };
            if self.at(Tok::LParen) {
                e = self.call(e);
            }
        }
        Some(e)
    }

    fn statement(&mut self) -> Item {
        let decorators = self.decorators();
        let t = self.cur();
        let start = t.start;
        let kind = if t.kind == Tok::Ident {
            match self.tok_text(t) {
                "targetScope" => self.target_scope(),
                "metadata" => self.named_value(|name, value| ItemKind::Metadata { name, value }),
                "param" => self.param(),
                "var" => self.var(),
                "resource" => {
                    return self.resource(decorators);
                }
                "module" => self.module(),
                "test" => self.test(),
                "output" => self.output(),
                "type" => self.type_decl(),
                "func" => self.func(),
                "import" => self.import(),
                "extension" | "provider" => self.extension(),
                "extensionConfig" => self.extension_config(),
                "using" => self.using(),
                "extends" => self.extends(),
                "assert" => self.named_value(|name, value| ItemKind::Assert { name, value }),
                _ => {
                    self.unrecognized(&decorators);
                    Err(())
                }
            }
        } else {
            self.unrecognized(&decorators);
            Err(())
        };
        let end = self.prev_end.max(start);
        Item {
            decorators,
            kind: kind.unwrap_or(ItemKind::Error),
            span: start..end,
        }
    }

    fn unrecognized(&mut self, decorators: &[Decorator]) {
        if decorators.is_empty() {
            self.error_here(
                "expected a statement (`param`, `var`, `resource`, `module`, `output`, ...)",
            );
        } else {
            self.error_here("expected a declaration after the decorator");
        }
    }

    fn assign(&mut self, what: &str) -> Result<(), ()> {
        self.expect(Tok::Assign, &format!("expected `=` after {what}"))
            .map(|_| ())
    }

    fn target_scope(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        self.assign("`targetScope`")?;
        Ok(ItemKind::TargetScope(self.expr()))
    }

    fn named_value(&mut self, make: fn(Ident, Expr) -> ItemKind) -> Result<ItemKind, ()> {
        let kw = self.bump();
        let what = self.tok_text(kw).to_string();
        let name = self.ident(&format!("expected a name after `{what}`"))?;
        self.assign("the name")?;
        let value = self.expr();
        Ok(make(name, value))
    }

    fn param(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the parameter's name")?;
        if self.eat(Tok::Assign) {
            // `.bicepparam`: `param name = value`.
            let value = self.expr();
            return Ok(ItemKind::ParamValue { name, value });
        }
        let ty = self.decl_type(false);
        let default = match self.peek() {
            Tok::Assign => {
                self.bump();
                Some(self.expr())
            }
            Tok::NewLine | Tok::Eof => None,
            _ => {
                self.error_here("expected `=` after the parameter's type");
                return Err(());
            }
        };
        Ok(ItemKind::Param { name, ty, default })
    }

    fn var(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the variable's name")?;
        let ty = if self.at(Tok::Assign) {
            None
        } else {
            Some(self.type_expr())
        };
        self.assign(if ty.is_some() {
            "the variable's type"
        } else {
            "the variable's name"
        })?;
        let value = self.expr();
        Ok(ItemKind::Var { name, ty, value })
    }

    fn output(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the output's name")?;
        let ty = self.decl_type(true);
        self.assign("the output's type")?;
        let value = self.expr();
        Ok(ItemKind::Output { name, ty, value })
    }

    fn type_decl(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the type's name")?;
        self.assign("the type's name")?;
        let ty = self.decl_type(false);
        Ok(ItemKind::Type { name, ty })
    }

    /// A string without interpolation (a path, a resource type).
    fn str_lit(&mut self, message: &str) -> Result<StrLit, ()> {
        match self.peek() {
            Tok::StrComplete | Tok::StrLeft => {
                let e = self.string();
                let mut value = String::new();
                if let ExprKind::String(parts) = &e.kind {
                    for part in parts {
                        match part {
                            StrPart::Lit(s) => value.push_str(s),
                            StrPart::Interp(i) => {
                                self.error(i.span.clone(), "this string cannot be interpolated");
                            }
                        }
                    }
                }
                Ok(StrLit {
                    value,
                    span: e.span,
                })
            }
            _ => {
                self.error_here(message);
                Err(())
            }
        }
    }

    /// The body of a resource or module: an object, `if (...) {...}`, or `[for ...]`.
    fn decl_body(&mut self) -> Result<Expr, ()> {
        if self.at(Tok::NewLine) && self.kw_at(self.pos + 1, "if") {
            self.bump();
        }
        match self.peek() {
            Tok::LBrace => Ok(self.object()),
            Tok::LSquare => Ok(self.for_expr(true)),
            Tok::Ident if self.at_kw("if") => Ok(self.if_condition()),
            _ => {
                self.error_here("expected `{`, `if` or `[for` after `=`");
                Err(())
            }
        }
    }

    fn resource(&mut self, decorators: Vec<Decorator>) -> Item {
        let start = self.bump().start;
        let kind = (|| -> Result<ItemKind, ()> {
            let name = self.ident("expected the resource's symbolic name")?;
            let type_string = self.str_lit("expected the resource type string ('Type@version')")?;
            let existing = if self.at_kw("existing") {
                self.bump();
                true
            } else {
                false
            };
            self.assign("the resource type")?;
            let body = self.decl_body()?;
            Ok(ItemKind::Resource(Box::new(Resource {
                name,
                type_string,
                existing,
                body,
            })))
        })();
        Item {
            decorators,
            kind: kind.unwrap_or(ItemKind::Error),
            span: start..self.prev_end,
        }
    }

    fn module(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the module's symbolic name")?;
        let path = self.str_lit("expected the module's path or registry reference")?;
        self.assign("the module's path")?;
        let body = self.decl_body()?;
        Ok(ItemKind::Module { name, path, body })
    }

    fn test(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the test's name")?;
        let path = self.str_lit("expected the path of the tested file")?;
        self.assign("the test's path")?;
        if !self.at(Tok::LBrace) {
            self.error_here("expected `{` after `=`");
            return Err(());
        }
        let body = self.object();
        Ok(ItemKind::Test { name, path, body })
    }

    fn func(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let name = self.ident("expected the function's name")?;
        let open = self.expect(Tok::LParen, "expected `(` after the function's name")?;
        if !self.enter(open.start..open.end) {
            return Err(());
        }
        self.closers.push(Tok::RParen);
        let mut params = Vec::new();
        let result = (|| {
            self.skip_newlines();
            while !self.at(Tok::RParen) {
                let pname = self.ident("expected a parameter name")?;
                let ty = self.decl_type(false);
                params.push((pname, ty));
                self.skip_newlines();
                if self.eat(Tok::Comma) {
                    self.skip_newlines();
                } else {
                    break;
                }
            }
            Ok(())
        })();
        self.closers.pop();
        self.leave();
        result?;
        self.expect(Tok::RParen, "expected `)` after the function's parameters")?;
        let ret = self.decl_type(false);
        self.expect(Tok::Arrow, "expected `=>` after the function's return type")?;
        self.newline_before_body();
        let body = self.expr();
        Ok(ItemKind::Func {
            name,
            params,
            ret,
            body,
        })
    }

    /// After `=>`: a line break is allowed unless the next line starts a declaration.
    fn newline_before_body(&mut self) {
        if self.at(Tok::NewLine) && !self.starts_statement(self.pos + 1) {
            self.bump();
        }
    }

    /// `with {...}` and `as alias` of an extension (kept only to be skipped).
    fn with_as(&mut self) -> Result<(), ()> {
        if self.at_kw("with") {
            self.bump();
            if !self.at(Tok::LBrace) {
                self.error_here("expected `{` after `with`");
                return Err(());
            }
            self.object();
        }
        if self.at_kw("as") {
            self.bump();
            self.ident("expected an alias after `as`")?;
        }
        Ok(())
    }

    fn import(&mut self) -> Result<ItemKind, ()> {
        let kw = self.bump();
        match self.peek() {
            Tok::StrComplete | Tok::StrLeft => {
                self.str_lit("expected the extension")?;
                self.with_as()?;
                Ok(ItemKind::Import {
                    symbols: ImportSymbols::None,
                    from: None,
                })
            }
            Tok::LBrace => {
                let open = self.bump();
                let (items, _) = self.list(open, Tok::RBrace, |p| p.import_item());
                let from = self.import_from()?;
                Ok(ItemKind::Import {
                    symbols: ImportSymbols::Named(items),
                    from: Some(from),
                })
            }
            Tok::Star => {
                self.bump();
                if !self.at_kw("as") {
                    self.error_here("expected `as` after `*`");
                    return Err(());
                }
                self.bump();
                let alias = self.ident("expected a namespace name after `as`")?;
                let from = self.import_from()?;
                Ok(ItemKind::Import {
                    symbols: ImportSymbols::Wildcard(alias),
                    from: Some(from),
                })
            }
            _ => {
                let _ = kw;
                self.error_here("expected `{`, `*` or a string after `import`");
                Err(())
            }
        }
    }

    fn import_item(&mut self) -> Option<(Ident, Option<Ident>)> {
        let original = match self.peek() {
            Tok::Ident => self.ident("").ok()?,
            Tok::StrComplete | Tok::StrLeft => {
                let s = self.str_lit("").ok()?;
                Ident {
                    name: s.value,
                    span: s.span,
                }
            }
            _ => {
                self.error_here("expected the name of an exported symbol");
                return None;
            }
        };
        let alias = if self.at_kw("as") {
            self.bump();
            Some(self.ident("expected an alias after `as`").ok()?)
        } else {
            None
        };
        Some((original, alias))
    }

    fn import_from(&mut self) -> Result<StrLit, ()> {
        if !self.at_kw("from") {
            self.error_here("expected `from` and the path of the file to import from");
            return Err(());
        }
        self.bump();
        self.str_lit("expected the path of the file to import from")
    }

    fn extension(&mut self) -> Result<ItemKind, ()> {
        let kw = self.bump();
        match self.peek() {
            Tok::Ident => {
                self.bump();
            }
            Tok::StrComplete | Tok::StrLeft => {
                self.string();
            }
            _ => {
                self.error_here("expected the extension's name or reference");
                return Err(());
            }
        }
        self.with_as()?;
        Ok(ItemKind::Extension {
            span: kw.start..self.prev_end,
        })
    }

    fn extension_config(&mut self) -> Result<ItemKind, ()> {
        let kw = self.bump();
        self.ident("expected the extension's alias")?;
        if !self.at_kw("with") {
            self.error_here("expected `with` after the extension's alias");
            return Err(());
        }
        self.with_as()?;
        Ok(ItemKind::Extension {
            span: kw.start..self.prev_end,
        })
    }

    fn using(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let path = if self.at_kw("none") {
            self.bump();
            None
        } else {
            Some(self.str_lit("expected the path of the template after `using`, or `none`")?)
        };
        self.with_as()?;
        Ok(ItemKind::Using { path })
    }

    fn extends(&mut self) -> Result<ItemKind, ()> {
        self.bump();
        let path = self.str_lit("expected the path of the base parameters file")?;
        Ok(ItemKind::Extends { path })
    }

    // ----- lists -----

    /// The items of a bracketed list after its opening `open`: separated by commas or line
    /// breaks (not both), as Bicep arrays, objects, object types, tuples and import lists are.
    /// Returns the items and whether the closing bracket was found.
    fn list<T>(
        &mut self,
        open: Token,
        close: Tok,
        mut elem: impl FnMut(&mut Self) -> Option<T>,
    ) -> (Vec<T>, bool) {
        let mut items = Vec::new();
        self.closers.push(close);
        let closed = loop {
            let k = self.peek();
            if k == close {
                break true;
            }
            match k {
                Tok::Eof => break false,
                Tok::NewLine => {
                    self.bump();
                    continue;
                }
                Tok::Comma => {
                    self.error_here("expected an item before `,`");
                    self.bump();
                    continue;
                }
                _ if self.enclosing(k) => break false,
                _ => {}
            }
            if self.at_line_start() && self.at_column0(self.pos) && self.starts_statement(self.pos)
            {
                break false;
            }
            let errors_before = self.errors.len();
            let start = self.pos;
            if let Some(item) = elem(self) {
                items.push(item);
            }
            match self.peek() {
                k if k == close => {}
                Tok::NewLine | Tok::Eof => {}
                Tok::Comma => {
                    self.bump();
                    if self.at(Tok::NewLine) {
                        self.error_here("unexpected new line after `,`: separate items by a comma or a new line, not both");
                    }
                }
                _ => {
                    if self.errors.len() == errors_before {
                        self.error_here(format!(
                            "expected `,`, a new line or {}",
                            closing_text(close)
                        ));
                    }
                    self.skip_garbage(close);
                    if self.pos == start && !self.enclosing(self.peek()) && !self.at(Tok::Eof) {
                        self.bump();
                    }
                }
            }
        };
        self.closers.pop();
        if closed {
            self.bump();
        } else {
            self.error(
                open.start..open.end,
                format!("{} is never closed", describe(close)),
            );
        }
        (items, closed)
    }

    // ----- expressions -----

    fn error_expr(&mut self, message: &str) -> Expr {
        self.error_here(message);
        // Empty, where the missing expression would have been: after what was parsed.
        let at = self.prev_end;
        Expr {
            kind: ExprKind::Error,
            span: at..at,
        }
    }

    pub(crate) fn expr(&mut self) -> Expr {
        let cond = self.binary(0);
        let question_next =
            self.at(Tok::Question) || (self.at(Tok::NewLine) && self.nth(1).kind == Tok::Question);
        if !question_next {
            return cond;
        }
        self.eat(Tok::NewLine);
        let q = self.bump();
        if !self.enter(q.start..q.end) {
            self.skip_rest_of_expression();
            return Expr {
                kind: ExprKind::Error,
                span: cond.span.start..self.prev_end,
            };
        }
        let then = self.expr();
        if self.at(Tok::NewLine) && self.nth(1).kind == Tok::Colon {
            self.bump();
        }
        let otherwise = if self.eat(Tok::Colon) {
            self.expr()
        } else {
            self.error_expr("expected `:` in the conditional expression")
        };
        self.leave();
        let span = cond.span.start..self.prev_end.max(otherwise.span.end);
        Expr {
            kind: ExprKind::Ternary {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        }
    }

    /// After "nested too deeply" on an operator: skip to the end of the line or of the
    /// enclosing list.
    fn skip_rest_of_expression(&mut self) {
        let mut nest = 0usize;
        loop {
            let k = self.peek();
            match k {
                Tok::Eof => return,
                Tok::NewLine if nest == 0 => return,
                Tok::LBrace | Tok::LSquare | Tok::LParen | Tok::StrLeft => nest += 1,
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight | Tok::StrMiddle
                    if nest == 0 =>
                {
                    return
                }
                Tok::Comma if nest == 0 => return,
                Tok::RBrace | Tok::RSquare | Tok::RParen | Tok::StrRight => nest -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    fn binary(&mut self, min: u8) -> Expr {
        let mut left = self.unary();
        while let Some((op, prec)) = binary_op(self.peek()) {
            if prec <= min {
                break;
            }
            self.bump();
            let right = self.binary(prec);
            let span = left.span.start..right.span.end.max(left.span.end);
            left = Expr {
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
        left
    }

    fn unary(&mut self) -> Expr {
        let op = match self.peek() {
            Tok::Bang => UnaryOp::Not,
            Tok::Minus => UnaryOp::Neg,
            _ => return self.postfix(),
        };
        let t = self.bump();
        if op == UnaryOp::Neg
            && self.at(Tok::Int)
            && self.tok_text(self.cur()) == "9223372036854775808"
        {
            let n = self.bump();
            return Expr {
                kind: ExprKind::Int(i64::MIN),
                span: t.start..n.end,
            };
        }
        let expr = self.postfix();
        let span = t.start..expr.span.end.max(t.end);
        Expr {
            kind: ExprKind::Unary {
                op,
                expr: Box::new(expr),
            },
            span,
        }
    }

    fn postfix(&mut self) -> Expr {
        let mut e = self.primary();
        if matches!(e.kind, ExprKind::Error) {
            return e;
        }
        // Each access is parsed by a function of its own, so that this frame, which stays on
        // the stack while the primary expression nests, is small.
        loop {
            let next = match self.peek() {
                Tok::LSquare => self.index_access(e),
                Tok::Dot => self.member_access(e),
                Tok::DoubleColon => self.child_access(e),
                Tok::Bang => {
                    let t = self.bump();
                    let span = e.span.start..t.end;
                    Ok(Expr {
                        kind: ExprKind::NonNull(Box::new(e)),
                        span,
                    })
                }
                _ => return e,
            };
            match next {
                Ok(n) => e = n,
                Err(n) => return n,
            }
        }
    }

    /// `e[i]`, `e[?i]`, `e[^i]` at `[`; `Err` when the parse cannot go on after it.
    fn index_access(&mut self, e: Expr) -> Result<Expr, Expr> {
        let open = self.bump();
        if !self.enter(open.start..open.end) {
            self.pos -= 1;
            self.skip_balanced();
            return Err(Expr {
                kind: ExprKind::Error,
                span: e.span.start..self.prev_end,
            });
        }
        let safe = self.eat(Tok::Question);
        let from_end = self.eat(Tok::Hat);
        self.closers.push(Tok::RSquare);
        let index = if self.at(Tok::RSquare) {
            self.error_expr("expected an index")
        } else {
            self.expr()
        };
        self.closers.pop();
        self.leave();
        let closed = self.eat(Tok::RSquare);
        if !closed && !matches!(index.kind, ExprKind::Error) {
            self.error(open.start..open.end, "`[` is never closed");
        }
        let span = e.span.start..self.prev_end;
        let access = Expr {
            kind: ExprKind::Index {
                target: Box::new(e),
                index: Box::new(index),
                safe,
                from_end,
            },
            span,
        };
        if closed {
            Ok(access)
        } else {
            Err(access)
        }
    }

    /// `e.name`, `e.?name`, `e.f(...)` at `.`.
    fn member_access(&mut self, e: Expr) -> Result<Expr, Expr> {
        self.bump();
        let safe = self.eat(Tok::Question);
        let Some(name) = self.name_like() else {
            self.error_here("expected a property or function name after `.`");
            let span = e.span.start..self.prev_end;
            return Err(Expr {
                kind: ExprKind::Error,
                span,
            });
        };
        let span = e.span.start..name.span.end;
        let member = Expr {
            kind: ExprKind::Member {
                target: Box::new(e),
                name,
                safe,
            },
            span,
        };
        if !self.at(Tok::LParen) {
            return Ok(member);
        }
        if safe {
            self.error(
                member.span.clone(),
                "`.?` cannot be used to call a function",
            );
        }
        Ok(self.call(member))
    }

    /// `e::child` at `::`.
    fn child_access(&mut self, e: Expr) -> Result<Expr, Expr> {
        self.bump();
        let Some(name) = self.name_like() else {
            self.error_here("expected a resource name after `::`");
            let span = e.span.start..self.prev_end;
            return Err(Expr {
                kind: ExprKind::Error,
                span,
            });
        };
        let span = e.span.start..name.span.end;
        Ok(Expr {
            kind: ExprKind::Child {
                target: Box::new(e),
                name,
            },
            span,
        })
    }

    /// `callee(args)`, at `(`.
    fn call(&mut self, callee: Expr) -> Expr {
        let open = self.cur();
        let start = callee.span.start;
        let Some(args) = self.paren_list(|p| Some(p.expr())) else {
            return Expr {
                kind: ExprKind::Error,
                span: start..self.prev_end,
            };
        };
        Expr {
            kind: ExprKind::Call {
                callee: Box::new(callee),
                args,
            },
            span: start..self.prev_end.max(open.end),
        }
    }

    /// `(a, b, ...)` at `(`: items separated by commas, line breaks allowed around them, as in
    /// calls, parenthesised expressions and lambda parameters. `None` when nested too deeply.
    fn paren_list<T>(&mut self, mut elem: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let open = self.cur();
        if !self.enter(open.start..open.end) {
            self.skip_balanced();
            return None;
        }
        self.bump();
        self.closers.push(Tok::RParen);
        let mut items = Vec::new();
        self.skip_newlines();
        let closed = loop {
            let k = self.peek();
            match k {
                Tok::RParen => break true,
                Tok::Eof => break false,
                _ if self.enclosing(k) => break false,
                _ => {}
            }
            if self.at_line_start() && self.at_column0(self.pos) && self.starts_statement(self.pos)
            {
                break false;
            }
            let errors_before = self.errors.len();
            let start = self.pos;
            if let Some(item) = elem(self) {
                items.push(item);
            }
            if self.at(Tok::NewLine) {
                self.bump();
                if !self.at(Tok::RParen) && !self.at(Tok::Comma) {
                    if self.at(Tok::Eof)
                        || (self.at_column0(self.pos) && self.starts_statement(self.pos))
                    {
                        break false;
                    }
                    self.error_here("expected `,` between the arguments");
                    continue;
                }
            }
            match self.peek() {
                Tok::RParen => {}
                Tok::Comma => {
                    self.bump();
                    self.skip_newlines();
                    if self.at(Tok::RParen) {
                        self.error_here("expected an argument after `,`");
                    }
                }
                Tok::Eof => {}
                k if self.enclosing(k) => {}
                _ => {
                    if self.errors.len() == errors_before {
                        self.error_here("expected `,` or `)`");
                    }
                    self.skip_garbage(Tok::RParen);
                    self.eat(Tok::NewLine);
                    if self.pos == start && !self.enclosing(self.peek()) && !self.at(Tok::Eof) {
                        self.bump();
                    }
                }
            }
        };
        self.closers.pop();
        self.leave();
        if closed {
            self.bump();
        } else {
            self.error(open.start..open.end, "`(` is never closed");
        }
        Some(items)
    }

    fn primary(&mut self) -> Expr {
        let t = self.cur();
        let simple = |kind| Expr {
            kind,
            span: t.start..t.end,
        };
        match t.kind {
            Tok::Int => {
                self.bump();
                match self.tok_text(t).parse::<i64>() {
                    Ok(n) => simple(ExprKind::Int(n)),
                    Err(_) => {
                        self.error(t.start..t.end, "integer out of range (64-bit)");
                        simple(ExprKind::Error)
                    }
                }
            }
            Tok::True => {
                self.bump();
                simple(ExprKind::Bool(true))
            }
            Tok::False => {
                self.bump();
                simple(ExprKind::Bool(false))
            }
            Tok::Null => {
                self.bump();
                simple(ExprKind::Null)
            }
            Tok::StrComplete | Tok::StrLeft => self.string(),
            Tok::LBrace => self.object(),
            Tok::LSquare => {
                let after = if self.nth(1).kind == Tok::NewLine {
                    self.pos + 2
                } else {
                    self.pos + 1
                };
                if self.kw_at(after, "for") {
                    self.for_expr(false)
                } else {
                    self.array()
                }
            }
            Tok::LParen => self.paren_or_lambda(),
            Tok::Ident => self.ident_expr(),
            _ => self.error_expr("expected an expression"),
        }
    }

    /// A name, a call `f(...)`, or a lambda `x => ...`, at the name.
    fn ident_expr(&mut self) -> Expr {
        let t = self.bump();
        let name = self.tok_text(t).to_string();
        let simple = Expr {
            kind: ExprKind::Ident(name),
            span: t.start..t.end,
        };
        match self.peek() {
            Tok::LParen => self.call(simple),
            Tok::Arrow => {
                let ExprKind::Ident(name) = simple.kind else {
                    unreachable!()
                };
                let param = Ident {
                    name,
                    span: t.start..t.end,
                };
                self.lambda(t.start, vec![param])
            }
            _ => simple,
        }
    }

    /// At `=>`.
    fn lambda(&mut self, start: usize, params: Vec<Ident>) -> Expr {
        let arrow = self.bump();
        if !self.enter(arrow.start..arrow.end) {
            self.skip_rest_of_expression();
            return Expr {
                kind: ExprKind::Error,
                span: start..self.prev_end,
            };
        }
        self.newline_before_body();
        let body = self.expr();
        self.leave();
        let span = start..self.prev_end.max(arrow.end);
        Expr {
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span,
        }
    }

    fn paren_or_lambda(&mut self) -> Expr {
        let open = self.cur();
        let Some(items) = self.paren_list(|p| Some(p.expr())) else {
            return Expr {
                kind: ExprKind::Error,
                span: open.start..self.prev_end,
            };
        };
        if self.at(Tok::Arrow) {
            let mut params = Vec::new();
            for item in items {
                match item.kind {
                    ExprKind::Ident(name) => params.push(Ident {
                        name,
                        span: item.span,
                    }),
                    ExprKind::Error => {}
                    _ => self.error(item.span, "expected a parameter name"),
                }
            }
            return self.lambda(open.start, params);
        }
        let span = open.start..self.prev_end;
        let mut items = items.into_iter();
        match (items.next(), items.next()) {
            (Some(inner), None) => Expr {
                kind: ExprKind::Paren(Box::new(inner)),
                span,
            },
            (None, _) => {
                self.error(
                    span.clone(),
                    "expected an expression inside the parentheses",
                );
                Expr {
                    kind: ExprKind::Error,
                    span,
                }
            }
            (Some(_), Some(second)) => {
                self.error(
                    second.span,
                    "expected `)`: parentheses hold exactly one expression",
                );
                Expr {
                    kind: ExprKind::Error,
                    span,
                }
            }
        }
    }

    fn lit_text(&self, t: Token) -> String {
        let cs = t.cs.min(t.ce);
        let raw = &self.text[cs..t.ce];
        if t.multiline {
            let raw = if matches!(t.kind, Tok::StrComplete | Tok::StrLeft) {
                let r = raw.strip_prefix('\r').unwrap_or(raw);
                r.strip_prefix('\n').unwrap_or(r)
            } else {
                raw
            };
            raw.to_string()
        } else {
            unescape(raw)
        }
    }

    /// At a string token.
    fn string(&mut self) -> Expr {
        let first = self.bump();
        let mut parts = Vec::new();
        let lit = self.lit_text(first);
        if !lit.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        if first.kind == Tok::StrComplete {
            return Expr {
                kind: ExprKind::String(parts),
                span: first.start..first.end,
            };
        }
        if !self.enter(first.start..first.end) {
            // Skip the rest of this string's pieces.
            let mut nest = 1usize;
            loop {
                match self.peek() {
                    Tok::Eof | Tok::NewLine => break,
                    Tok::StrLeft => nest += 1,
                    Tok::StrRight => {
                        nest -= 1;
                        if nest == 0 {
                            self.bump();
                            break;
                        }
                    }
                    _ => {}
                }
                self.bump();
            }
            return Expr {
                kind: ExprKind::Error,
                span: first.start..self.prev_end,
            };
        }
        loop {
            self.closers.push(Tok::StrRight);
            let errors_before = self.errors.len();
            let e = self.expr();
            self.closers.pop();
            if !matches!(self.peek(), Tok::StrMiddle | Tok::StrRight) {
                if self.errors.len() == errors_before {
                    self.error_here("expected `}` to end the interpolation");
                }
                let mut nest = 0usize;
                loop {
                    match self.peek() {
                        Tok::Eof | Tok::NewLine => break,
                        Tok::StrMiddle | Tok::StrRight if nest == 0 => break,
                        Tok::StrLeft => nest += 1,
                        Tok::StrRight => nest -= 1,
                        _ => {}
                    }
                    self.bump();
                }
            }
            parts.push(StrPart::Interp(e));
            match self.peek() {
                Tok::StrMiddle => {
                    let t = self.bump();
                    let lit = self.lit_text(t);
                    if !lit.is_empty() {
                        parts.push(StrPart::Lit(lit));
                    }
                }
                Tok::StrRight => {
                    let t = self.bump();
                    let lit = self.lit_text(t);
                    if !lit.is_empty() {
                        parts.push(StrPart::Lit(lit));
                    }
                    break;
                }
                _ => break,
            }
        }
        self.leave();
        Expr {
            kind: ExprKind::String(parts),
            span: first.start..self.prev_end,
        }
    }

    fn array(&mut self) -> Expr {
        let open = self.cur();
        if !self.enter(open.start..open.end) {
            self.skip_balanced();
            return Expr {
                kind: ExprKind::Error,
                span: open.start..self.prev_end,
            };
        }
        self.bump();
        let (items, _) = self.list(open, Tok::RSquare, |p| {
            if p.at(Tok::Ellipsis) {
                p.bump();
                Some(ArrayItem::Spread(p.expr()))
            } else {
                Some(ArrayItem::Item(p.expr()))
            }
        });
        self.leave();
        Expr {
            kind: ExprKind::Array(items),
            span: open.start..self.prev_end,
        }
    }

    fn object(&mut self) -> Expr {
        let open = self.cur();
        if !self.enter(open.start..open.end) {
            self.skip_balanced();
            return Expr {
                kind: ExprKind::Error,
                span: open.start..self.prev_end,
            };
        }
        self.bump();
        let (items, _) = self.list(open, Tok::RBrace, |p| p.object_item());
        self.leave();
        Expr {
            kind: ExprKind::Object(items),
            span: open.start..self.prev_end,
        }
    }

    fn object_item(&mut self) -> Option<ObjectItem> {
        let decorators = self.decorators();
        if self.at_kw("resource") && self.nth(1).kind == Tok::Ident {
            let item = self.resource(decorators);
            return Some(ObjectItem::Resource(Box::new(item)));
        }
        if self.at(Tok::Ellipsis) {
            self.bump();
            return Some(ObjectItem::Spread(self.expr()));
        }
        let key = match self.peek() {
            Tok::Ident | Tok::True | Tok::False | Tok::Null => Key::Ident(self.name_like()?),
            Tok::StrComplete | Tok::StrLeft => Key::String(self.string()),
            _ => {
                self.error_here("expected a property name");
                return None;
            }
        };
        if !self.eat(Tok::Colon) {
            self.error_here("expected `:` after the property name");
            return None;
        }
        let value = self.expr();
        let span = key.span().start..self.prev_end.max(key.span().end);
        Some(ObjectItem::Property {
            decorators,
            key,
            value,
            span,
        })
    }

    /// `if (cond) {...}`, at `if`.
    fn if_condition(&mut self) -> Expr {
        let kw = self.bump();
        if !self.at(Tok::LParen) {
            return self.error_expr("expected `(` after `if`");
        }
        let open = self.cur();
        let Some(items) = self.paren_list(|p| Some(p.expr())) else {
            return Expr {
                kind: ExprKind::Error,
                span: kw.start..self.prev_end,
            };
        };
        let mut items = items.into_iter();
        let cond = match (items.next(), items.next()) {
            (Some(c), None) => c,
            (None, _) => {
                let span = open.start..self.prev_end;
                self.error(span.clone(), "expected a condition inside the parentheses");
                Expr {
                    kind: ExprKind::Error,
                    span,
                }
            }
            (Some(c), Some(second)) => {
                self.error(second.span, "expected `)` after the condition");
                c
            }
        };
        if !self.at(Tok::LBrace) {
            let body = self.error_expr("expected `{` after the condition");
            return Expr {
                kind: ExprKind::If {
                    cond: Box::new(cond),
                    body: Box::new(body),
                },
                span: kw.start..self.prev_end,
            };
        }
        let body = self.object();
        Expr {
            kind: ExprKind::If {
                cond: Box::new(cond),
                body: Box::new(body),
            },
            span: kw.start..self.prev_end,
        }
    }

    /// `[for ... in ...: body]`, at `[`.
    fn for_expr(&mut self, resource_body: bool) -> Expr {
        let open = self.cur();
        if !self.enter(open.start..open.end) {
            self.skip_balanced();
            return Expr {
                kind: ExprKind::Error,
                span: open.start..self.prev_end,
            };
        }
        self.bump();
        self.closers.push(Tok::RSquare);
        self.eat(Tok::NewLine);
        let mut item = None;
        let mut index = None;
        let mut iterable = None;
        let mut body = None;
        let header: Result<(), ()> = (|| {
            if !self.at_kw("for") {
                self.error_here("expected `for`");
                return Err(());
            }
            self.bump();
            match self.peek() {
                Tok::Ident if !self.at_kw("in") || self.nth(1).kind == Tok::Ident => {
                    item = Some(self.ident("")?);
                }
                Tok::LParen => {
                    self.bump();
                    item = Some(self.ident("expected the loop's item variable")?);
                    self.expect(Tok::Comma, "expected `,` and the loop's index variable")?;
                    index = Some(self.ident("expected the loop's index variable")?);
                    self.expect(Tok::RParen, "expected `)` after the loop's variables")?;
                }
                _ => {
                    self.error_here("expected the loop's variable after `for`");
                    return Err(());
                }
            }
            if !self.at_kw("in") {
                self.error_here("expected `in` after the loop's variable");
                return Err(());
            }
            self.bump();
            iterable = Some(self.expr());
            self.expect(Tok::Colon, "expected `:` after the loop's collection")?;
            body = Some(if resource_body {
                match self.peek() {
                    Tok::LBrace => self.object(),
                    Tok::Ident if self.at_kw("if") => self.if_condition(),
                    _ => self.error_expr("expected `{` or `if` after `:`"),
                }
            } else if self.at_kw("if") && self.nth(1).kind == Tok::LParen {
                self.if_condition()
            } else {
                self.expr()
            });
            Ok(())
        })();
        if header.is_err() {
            self.skip_garbage(Tok::RSquare);
        }
        if self.at(Tok::NewLine) && self.nth(1).kind == Tok::RSquare {
            self.bump();
        }
        self.closers.pop();
        self.leave();
        if !self.eat(Tok::RSquare) && header.is_ok() {
            self.error(open.start..open.end, "`[` is never closed");
        }
        let span = open.start..self.prev_end;
        let missing = |at: usize| Expr {
            kind: ExprKind::Error,
            span: at..at,
        };
        let end = self.prev_end;
        Expr {
            kind: ExprKind::For {
                item,
                index,
                iterable: Box::new(iterable.unwrap_or_else(|| missing(end))),
                body: Box::new(body.unwrap_or_else(|| missing(end))),
            },
            span,
        }
    }

    // ----- types -----

    /// A type after `param`/`output`/`type`/in a `func`: `resource 'T@v'` or a type expression.
    fn decl_type(&mut self, output: bool) -> TypeExpr {
        if self.at_kw("resource") && self.nth(1).kind != Tok::Lt {
            let kw = self.bump();
            if !output || matches!(self.peek(), Tok::StrComplete | Tok::StrLeft) {
                return match self.str_lit("expected the resource type string after `resource`") {
                    Ok(s) => TypeExpr {
                        kind: TypeKind::Resource(s),
                        span: kw.start..self.prev_end,
                    },
                    Err(()) => TypeExpr {
                        kind: TypeKind::Error,
                        span: kw.start..kw.end,
                    },
                };
            }
            return TypeExpr {
                kind: TypeKind::Resource(StrLit {
                    value: String::new(),
                    span: kw.end..kw.end,
                }),
                span: kw.start..kw.end,
            };
        }
        self.type_expr()
    }

    fn pipe_next(&self) -> bool {
        self.at(Tok::Pipe) || (self.at(Tok::NewLine) && self.nth(1).kind == Tok::Pipe)
    }

    fn type_expr(&mut self) -> TypeExpr {
        let mut start = None;
        if self.pipe_next() {
            self.eat(Tok::NewLine);
            start = Some(self.bump().start);
        }
        let first = self.unary_type();
        if start.is_none() && !self.pipe_next() {
            return first;
        }
        let start = start.unwrap_or(first.span.start);
        let mut members = vec![first];
        while self.pipe_next() {
            self.eat(Tok::NewLine);
            self.bump();
            if matches!(self.peek(), Tok::NewLine | Tok::Eof) {
                self.error_here("expected a type after `|`");
                break;
            }
            members.push(self.unary_type());
        }
        TypeExpr {
            kind: TypeKind::Union(members),
            span: start..self.prev_end,
        }
    }

    fn unary_type(&mut self) -> TypeExpr {
        let mut t = if matches!(self.peek(), Tok::Minus | Tok::Bang) {
            let start = self.cur().start;
            let e = self.unary();
            TypeExpr {
                span: start..e.span.end,
                kind: TypeKind::Literal(e),
            }
        } else {
            self.member_type()
        };
        loop {
            match self.peek() {
                Tok::Question => {
                    let q = self.bump();
                    let span = t.span.start..q.end;
                    t = TypeExpr {
                        kind: TypeKind::Nullable(Box::new(t)),
                        span,
                    };
                }
                Tok::Bang => {
                    // `T!` (not nullable): kept as the inner type, spanning the `!`.
                    let b = self.bump();
                    t.span.end = b.end;
                }
                _ => return t,
            }
        }
    }

    fn member_type(&mut self) -> TypeExpr {
        let mut t = self.primary_type();
        if matches!(t.kind, TypeKind::Error) {
            return t;
        }
        loop {
            match self.peek() {
                Tok::LSquare => {
                    let open = self.bump();
                    if self.eat(Tok::RSquare) {
                        let span = t.span.start..self.prev_end;
                        t = TypeExpr {
                            kind: TypeKind::Array(Box::new(t)),
                            span,
                        };
                        continue;
                    }
                    let access = if self.eat(Tok::Star) {
                        "[*]".to_string()
                    } else if self.at(Tok::Int) {
                        let n = self.bump();
                        format!("[{}]", self.tok_text(n))
                    } else {
                        self.error_here("expected `]`, `*` or an index");
                        return TypeExpr {
                            kind: TypeKind::Error,
                            span: t.span.start..self.prev_end,
                        };
                    };
                    if !self.eat(Tok::RSquare) {
                        self.error(open.start..open.end, "`[` is never closed");
                        return TypeExpr {
                            kind: TypeKind::Error,
                            span: t.span.start..self.prev_end,
                        };
                    }
                    let span = t.span.start..self.prev_end;
                    t = TypeExpr {
                        kind: TypeKind::Access(Box::new(t), access),
                        span,
                    };
                }
                Tok::Dot => {
                    self.bump();
                    if self.eat(Tok::Star) {
                        let span = t.span.start..self.prev_end;
                        t = TypeExpr {
                            kind: TypeKind::Access(Box::new(t), "*".to_string()),
                            span,
                        };
                        continue;
                    }
                    let Some(name) = self.name_like() else {
                        self.error_here("expected a property name after `.`");
                        return TypeExpr {
                            kind: TypeKind::Error,
                            span: t.span.start..self.prev_end,
                        };
                    };
                    if self.at(Tok::Lt) {
                        // `ns.resourceInput<...>`: a qualified generic type.
                        let qualified = match &t.kind {
                            TypeKind::Name { name: ns, args } if args.is_empty() => {
                                format!("{ns}.{}", name.name)
                            }
                            _ => name.name.clone(),
                        };
                        let Some(args) = self.type_args() else {
                            return TypeExpr {
                                kind: TypeKind::Error,
                                span: t.span.start..self.prev_end,
                            };
                        };
                        t = TypeExpr {
                            kind: TypeKind::Name {
                                name: qualified,
                                args,
                            },
                            span: t.span.start..self.prev_end,
                        };
                        continue;
                    }
                    let span = t.span.start..name.span.end;
                    t = TypeExpr {
                        kind: TypeKind::Access(Box::new(t), name.name),
                        span,
                    };
                }
                _ => return t,
            }
        }
    }

    /// `<T, ...>` at `<`.
    fn type_args(&mut self) -> Option<Vec<TypeExpr>> {
        let open = self.cur();
        if !self.enter(open.start..open.end) {
            self.skip_rest_of_expression();
            return None;
        }
        self.bump();
        let mut args = Vec::new();
        self.skip_newlines();
        while !self.at(Tok::Gt) {
            args.push(self.type_expr());
            self.skip_newlines();
            if !self.eat(Tok::Comma) {
                break;
            }
            self.skip_newlines();
        }
        self.leave();
        if !self.eat(Tok::Gt) {
            self.error(open.start..open.end, "`<` is never closed");
        }
        Some(args)
    }

    fn primary_type(&mut self) -> TypeExpr {
        let t = self.cur();
        match t.kind {
            Tok::Int | Tok::True | Tok::False | Tok::Null | Tok::StrComplete | Tok::StrLeft => {
                let e = self.primary();
                TypeExpr {
                    span: e.span.clone(),
                    kind: TypeKind::Literal(e),
                }
            }
            Tok::LBrace => {
                if !self.enter(t.start..t.end) {
                    self.skip_balanced();
                    return TypeExpr {
                        kind: TypeKind::Error,
                        span: t.start..self.prev_end,
                    };
                }
                self.bump();
                let (props, _) = self.list(t, Tok::RBrace, |p| p.type_property());
                self.leave();
                TypeExpr {
                    kind: TypeKind::Object(props),
                    span: t.start..self.prev_end,
                }
            }
            Tok::LSquare => {
                if !self.enter(t.start..t.end) {
                    self.skip_balanced();
                    return TypeExpr {
                        kind: TypeKind::Error,
                        span: t.start..self.prev_end,
                    };
                }
                self.bump();
                let (items, _) = self.list(t, Tok::RSquare, |p| {
                    p.decorators();
                    Some(p.type_expr())
                });
                self.leave();
                TypeExpr {
                    kind: TypeKind::Tuple(items),
                    span: t.start..self.prev_end,
                }
            }
            Tok::LParen => {
                let Some(items) = self.paren_list(|p| Some(p.type_expr())) else {
                    return TypeExpr {
                        kind: TypeKind::Error,
                        span: t.start..self.prev_end,
                    };
                };
                let span = t.start..self.prev_end;
                let mut items = items.into_iter();
                match (items.next(), items.next()) {
                    (Some(inner), None) => TypeExpr {
                        kind: TypeKind::Paren(Box::new(inner)),
                        span,
                    },
                    _ => {
                        self.error(
                            span.clone(),
                            "expected exactly one type inside the parentheses",
                        );
                        TypeExpr {
                            kind: TypeKind::Error,
                            span,
                        }
                    }
                }
            }
            Tok::Ident => {
                self.bump();
                let name = self.tok_text(t).to_string();
                let args = if self.at(Tok::Lt) {
                    match self.type_args() {
                        Some(a) => a,
                        None => {
                            return TypeExpr {
                                kind: TypeKind::Error,
                                span: t.start..self.prev_end,
                            }
                        }
                    }
                } else {
                    Vec::new()
                };
                TypeExpr {
                    kind: TypeKind::Name { name, args },
                    span: t.start..self.prev_end,
                }
            }
            _ => {
                self.error_here("expected a type");
                let at = self.prev_end;
                TypeExpr {
                    kind: TypeKind::Error,
                    span: at..at,
                }
            }
        }
    }

    fn type_property(&mut self) -> Option<TypeProperty> {
        let decorators = self.decorators();
        let start = self.cur().start;
        let key = match self.peek() {
            Tok::Ident | Tok::True | Tok::False | Tok::Null => self.name_like()?.name,
            Tok::StrComplete | Tok::StrLeft => self.str_lit("").ok()?.value,
            Tok::Star => {
                self.bump();
                "*".to_string()
            }
            _ => {
                self.error_here("expected a property name or `*`");
                return None;
            }
        };
        if !self.eat(Tok::Colon) {
            self.error_here("expected `:` after the property name");
            return None;
        }
        let ty = self.type_expr();
        Some(TypeProperty {
            decorators,
            key,
            ty,
            span: start..self.prev_end,
        })
    }
}

#[cfg(test)]
mod tests;
