//! hcl-edit syntax trees to [`Expr`]. hcl-edit itself refuses input nested deeper than 64 levels
//! ("invalid nesting depth"), so hostile nesting never reaches the recursive conversion.

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Strip, Template};
use hcl_edit::Span as _;

use super::{BinOp, Expr, ExprKind, ForExpr, Key, Op, Part, UnOp};
use crate::source::{FileId, Span};

/// Convert an hcl-edit expression. `base` is added to its spans (non-zero when the text was cut
/// out of a larger file, as for templates inside `.tf.json` strings).
pub fn from_hcl(e: &Expression, file: FileId, base: usize) -> Expr {
    Conv { file, base }.expr(e)
}

/// Parse and convert a standalone expression (a `--var` value, a `.tf.json` type string).
pub fn parse_expr(text: &str, file: FileId, base: usize) -> Result<Expr, (usize, String)> {
    let e = hcl_edit::parser::parse_expr(text)
        .map_err(|e| (e.location().offset(), e.message().to_string()))?;
    Ok(from_hcl(&e, file, base))
}

/// Parse a string as a template (`.tf.json` strings). `base` is the offset of the string's first
/// character in the file.
pub fn parse_template(text: &str, file: FileId, base: usize) -> Result<Expr, (usize, String)> {
    let span = Span::new(file, base..base + text.len());
    if !text.contains("${") && !text.contains("%{") {
        return Ok(Expr::new(ExprKind::Str(text.into()), span));
    }
    let t = hcl_edit::parser::parse_template(text)
        .map_err(|e| (e.location().offset(), e.message().to_string()))?;
    Ok(Expr::new(
        ExprKind::Template(Conv { file, base }.template(&t)),
        span,
    ))
}

struct Conv {
    file: FileId,
    base: usize,
}

impl Conv {
    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        let r = r.unwrap_or(0..0);
        Span::new(self.file, r.start + self.base..r.end + self.base)
    }

    fn expr(&self, e: &Expression) -> Expr {
        let span = self.span(e.span());
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::Str(s.value().as_str().into()),
            Expression::Array(a) => ExprKind::Tuple(a.iter().map(|x| self.expr(x)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(id) => Key::Name(id.as_str().into()),
                            ObjectKey::Expression(x) => Key::Expr(self.expr(x)),
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                let mut parts = Vec::new();
                self.elements(t.iter(), &mut parts);
                ExprKind::Template(parts)
            }
            Expression::HeredocTemplate(h) => ExprKind::Template(self.template(&h.template)),
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Var(v.as_str().into()),
            Expression::Conditional(c) => ExprKind::Cond(
                Box::new(self.expr(&c.cond_expr)),
                Box::new(self.expr(&c.true_expr)),
                Box::new(self.expr(&c.false_expr)),
            ),
            Expression::FuncCall(f) => {
                let name = if f.name.namespace.is_empty() {
                    f.name.name.as_str().into()
                } else {
                    let mut name = String::new();
                    for ns in &f.name.namespace {
                        name.push_str(ns.as_str());
                        name.push_str("::");
                    }
                    name.push_str(f.name.name.as_str());
                    name.into()
                };
                ExprKind::Call(
                    name,
                    f.args.iter().map(|a| self.expr(a)).collect(),
                    f.args.expand_final(),
                )
            }
            Expression::Traversal(t) => ExprKind::Traverse(
                Box::new(self.expr(&t.expr)),
                t.operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Op::Splat { attrs_only: true },
                        TraversalOperator::FullSplat(_) => Op::Splat { attrs_only: false },
                        TraversalOperator::GetAttr(id) => Op::Attr(id.as_str().into()),
                        TraversalOperator::Index(x) => Op::Index(self.expr(x)),
                        TraversalOperator::LegacyIndex(n) => {
                            let s = self.span(n.span());
                            Op::Index(Expr::new(ExprKind::Number(*n.value() as f64), s))
                        }
                    })
                    .collect(),
            ),
            Expression::UnaryOp(u) => ExprKind::Unary(
                match u.operator.value() {
                    UnaryOperator::Neg => UnOp::Neg,
                    UnaryOperator::Not => UnOp::Not,
                },
                Box::new(self.expr(&u.expr)),
            ),
            Expression::BinaryOp(b) => ExprKind::Binary(
                match b.operator.value() {
                    BinaryOperator::Eq => BinOp::Eq,
                    BinaryOperator::NotEq => BinOp::NotEq,
                    BinaryOperator::LessEq => BinOp::LessEq,
                    BinaryOperator::GreaterEq => BinOp::GreaterEq,
                    BinaryOperator::Less => BinOp::Less,
                    BinaryOperator::Greater => BinOp::Greater,
                    BinaryOperator::Plus => BinOp::Add,
                    BinaryOperator::Minus => BinOp::Sub,
                    BinaryOperator::Mul => BinOp::Mul,
                    BinaryOperator::Div => BinOp::Div,
                    BinaryOperator::Mod => BinOp::Mod,
                    BinaryOperator::And => BinOp::And,
                    BinaryOperator::Or => BinOp::Or,
                },
                Box::new(self.expr(&b.lhs_expr)),
                Box::new(self.expr(&b.rhs_expr)),
            ),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().into()),
                value_var: f.intro.value_var.as_str().into(),
                coll: self.expr(&f.intro.collection_expr),
                key: f.key_expr.as_ref().map(|k| self.expr(k)),
                value: self.expr(&f.value_expr),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                group: f.grouping,
            })),
        };
        Expr::new(kind, span)
    }

    fn template(&self, t: &Template) -> Vec<Part> {
        let mut parts = Vec::new();
        self.elements(t.iter(), &mut parts);
        parts
    }

    /// Template elements, applying `~` strip markers to the neighbouring literals.
    fn elements<'a>(&self, elems: impl Iterator<Item = &'a Element>, out: &mut Vec<Part>) {
        let mut strip_next = false;
        for el in elems {
            match el {
                Element::Literal(s) => {
                    let text = if strip_next {
                        s.value().trim_start()
                    } else {
                        s.value()
                    };
                    out.push(Part::Lit(text.into()));
                    strip_next = false;
                }
                Element::Interpolation(i) => {
                    strip_before(out, i.strip);
                    out.push(Part::Interp(self.expr(&i.expr)));
                    strip_next = i.strip.strip_end();
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        strip_before(out, d.if_expr.strip);
                        let mut then = self.template(&d.if_expr.template);
                        strip_first(&mut then, d.if_expr.strip);
                        let after_then =
                            d.else_expr.as_ref().map_or(d.endif_expr.strip, |e| e.strip);
                        strip_last(&mut then, after_then);
                        let mut other = Vec::new();
                        if let Some(e) = &d.else_expr {
                            other = self.template(&e.template);
                            strip_first(&mut other, e.strip);
                            strip_last(&mut other, d.endif_expr.strip);
                        }
                        out.push(Part::If(self.expr(&d.if_expr.cond_expr), then, other));
                        strip_next = d.endif_expr.strip.strip_end();
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        strip_before(out, f.strip);
                        let mut body = self.template(&f.template);
                        strip_first(&mut body, f.strip);
                        strip_last(&mut body, d.endfor_expr.strip);
                        out.push(Part::For {
                            key: f.key_var.as_ref().map(|k| k.as_str().into()),
                            value: f.value_var.as_str().into(),
                            coll: self.expr(&f.collection_expr),
                            body,
                        });
                        strip_next = d.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
    }
}

/// `~` at the start of a marker strips the whitespace at the end of the literal before it.
fn strip_before(out: &mut [Part], strip: Strip) {
    if strip.strip_start() {
        if let Some(Part::Lit(s)) = out.last_mut() {
            *s = s.trim_end().into();
        }
    }
}

/// `~` at the end of an opening marker strips the start of the first literal inside.
fn strip_first(parts: &mut [Part], strip: Strip) {
    if strip.strip_end() {
        if let Some(Part::Lit(s)) = parts.first_mut() {
            *s = s.trim_start().into();
        }
    }
}

/// `~` at the start of a closing marker strips the end of the last literal inside.
fn strip_last(parts: &mut [Part], strip: Strip) {
    if strip.strip_start() {
        if let Some(Part::Lit(s)) = parts.last_mut() {
            *s = s.trim_end().into();
        }
    }
}
