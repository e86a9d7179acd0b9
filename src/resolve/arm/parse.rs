//! Parser for the inside of an ARM template expression (`[ ... ]`): function calls, single-quoted
//! string literals (`''` escapes a quote), integers, member access `.name` and index `[expr]`.

use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of calls, member accesses and indexes accepted in one expression.
pub const MAX_EXPR_DEPTH: usize = 100;

/// ARM's documented limit is 24,576 characters; leave room for generated templates.
pub const MAX_EXPR_LEN: usize = 100_000;

/// A parsed expression; names and strings borrow from the expression text where they can.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr<'s> {
    Str(Cow<'s, str>),
    Num(f64),
    Bool(bool),
    Null,
    Call {
        /// As written, including a user-defined function's namespace (`ns.fn`).
        name: Cow<'s, str>,
        args: Vec<Expr<'s>>,
        /// Byte range of the whole call in the expression text.
        text: Range<usize>,
    },
    Member {
        target: Box<Expr<'s>>,
        name: &'s str,
    },
    Index {
        target: Box<Expr<'s>>,
        index: Box<Expr<'s>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// Byte offset in the expression text.
    pub offset: usize,
    pub message: String,
}

/// Parse an expression (the text between the outer brackets).
pub fn parse(text: &str) -> Result<Expr<'_>, ParseError> {
    if text.len() > MAX_EXPR_LEN {
        return Err(ParseError {
            offset: 0,
            message: format!("expression longer than {MAX_EXPR_LEN} characters"),
        });
    }
    let mut p = Parser {
        text,
        src: text.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    let e = p.expr(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.err("unexpected text after the end of the expression"));
    }
    Ok(e)
}

struct Parser<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.pos,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn deeper(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_EXPR_DEPTH {
            Err(self.err("expression nested too deeply"))
        } else {
            Ok(depth + 1)
        }
    }

    fn expr(&mut self, depth: usize) -> Result<Expr<'a>, ParseError> {
        let mut depth = self.deeper(depth)?;
        let mut e = self.primary(depth)?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.skip_ws();
                    let name = self
                        .ident()
                        .ok_or_else(|| self.err("expected a property name after '.'"))?;
                    depth = self.deeper(depth)?;
                    e = Expr::Member {
                        target: Box::new(e),
                        name,
                    };
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_ws();
                    depth = self.deeper(depth)?;
                    let index = self.expr(depth)?;
                    if !self.eat(b']') {
                        return Err(self.err("expected ']'"));
                    }
                    e = Expr::Index {
                        target: Box::new(e),
                        index: Box::new(index),
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    /// An identifier (ASCII, so the slice is whole UTF-8).
    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => self.pos += 1,
            _ => return None,
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
        {
            self.pos += 1;
        }
        self.text.get(start..self.pos)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr<'a>, ParseError> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some(b'\'') => self.string().map(Expr::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let mut name = Cow::Borrowed(self.ident().unwrap_or_default());
                self.skip_ws();
                // A namespaced user-defined function: `ns.fn(...)`.
                while self.peek() == Some(b'.') {
                    let save = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    match self.ident() {
                        Some(part) => {
                            let name = name.to_mut();
                            name.push('.');
                            name.push_str(part);
                            self.skip_ws();
                        }
                        None => {
                            self.pos = save;
                            break;
                        }
                    }
                }
                if self.peek() != Some(b'(') {
                    return if name.eq_ignore_ascii_case("true") {
                        Ok(Expr::Bool(true))
                    } else if name.eq_ignore_ascii_case("false") {
                        Ok(Expr::Bool(false))
                    } else if name.eq_ignore_ascii_case("null") {
                        Ok(Expr::Null)
                    } else {
                        Err(self.err("expected '(' after the function name"))
                    };
                }
                self.pos += 1;
                let mut args = Vec::new();
                if !self.eat(b')') {
                    loop {
                        args.push(self.expr(depth)?);
                        if self.eat(b')') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("expected ',' or ')' in the argument list"));
                        }
                    }
                }
                Ok(Expr::Call {
                    name,
                    args,
                    text: start..self.pos,
                })
            }
            None => Err(self.err("unexpected end of the expression")),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    /// A single-quoted literal (`''` is a quote); borrowed unless it has an escaped quote.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Option<String> = None;
        loop {
            let run_start = self.pos;
            let Some(n) = self.src[run_start..].iter().position(|&b| b == b'\'') else {
                self.pos = start;
                return Err(self.err("unterminated string literal"));
            };
            self.pos += n;
            // Cut at a quote (ASCII), so the run is whole UTF-8.
            let run = self.text.get(run_start..self.pos).unwrap_or_default();
            if self.src.get(self.pos + 1) == Some(&b'\'') {
                let buf = out.get_or_insert_with(String::new);
                buf.push_str(run);
                buf.push('\'');
                self.pos += 2;
                continue;
            }
            self.pos += 1;
            return Ok(match out {
                None => Cow::Borrowed(run),
                Some(mut buf) => {
                    buf.push_str(run);
                    Cow::Owned(buf)
                }
            });
        }
    }

    fn number(&mut self) -> Result<Expr<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits_start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'.')) {
            self.pos += 1;
        }
        if self.pos == digits_start {
            return Err(self.err("expected a number"));
        }
        self.text
            .get(start..self.pos)
            .and_then(|s| s.parse::<f64>().ok())
            .map(Expr::Num)
            .ok_or_else(|| self.err("invalid number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'s>(name: &'s str, args: Vec<Expr<'s>>, text: Range<usize>) -> Expr<'s> {
        Expr::Call {
            name: name.into(),
            args,
            text,
        }
    }

    #[test]
    fn parses_calls_members_and_indexes() {
        let e = parse("concat('it''s', parameters( 'x' ).a[0], -1)").unwrap();
        let params = call("parameters", vec![Expr::Str("x".into())], 16..33);
        let member = Expr::Member {
            target: Box::new(params),
            name: "a",
        };
        let index = Expr::Index {
            target: Box::new(member),
            index: Box::new(Expr::Num(0.0)),
        };
        assert_eq!(
            e,
            call(
                "concat",
                vec![Expr::Str("it's".into()), index, Expr::Num(-1.0)],
                0..43
            )
        );
    }

    #[test]
    fn namespaced_functions_and_literals() {
        let e = parse("ns.fn(true, null)").unwrap();
        assert_eq!(e, call("ns.fn", vec![Expr::Bool(true), Expr::Null], 0..17));
        let e = parse("resourceGroup().location").unwrap();
        assert!(matches!(e, Expr::Member { name, .. } if name == "location"));
    }

    #[test]
    fn errors() {
        assert_eq!(parse("concat('a'").unwrap_err().offset, 10);
        assert!(parse("'abc").is_err());
        assert!(parse("foo").is_err());
        assert!(parse("a() b").is_err());
        assert!(parse("a(,)").is_err());
        assert!(parse("").is_err());
        assert!(parse("x.").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("{}{}", "f(".repeat(1_000), ")".repeat(1_000));
        assert!(parse(&text).is_err());
        let text = format!("{}'a'{}", "f(".repeat(50), ")".repeat(50));
        assert!(parse(&text).is_ok());
        let text = format!("a(){}", ".b".repeat(200));
        assert!(parse(&text).is_err());
    }
}
