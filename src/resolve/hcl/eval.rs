//! The expression evaluator.
//!
//! Errors (a missing key, a wrong type) are `Err` inside the evaluator so that `try` and `can`
//! can catch them; at the boundary ([`Eval::value`]) they become unknown values. Unknown inputs
//! are values and propagate through operations, except where a known operand decides the result.

use super::coerce::{
    after_apply, budget_message, deployment_text, equal, fmt_num, insert, pairs, shallow_unknown,
    size_message, to_bool, to_int, to_num, to_str, Fx, Halt, Limits,
};
use super::funcs;
use super::ids;
use super::{BinOp, Expr, ExprKind, ForExpr, Key, Name, Op, Part, UnOp};
use crate::source::Span;
use crate::symbolic;
use crate::value::{Node, ResourceRef, Unknown, Value};
use compact_str::CompactString;

/// Longest string a string template may build (`"${a}-${b}"`, `%{ for }` directives). Checked
/// only while a template is rendered, after each part is appended: function results (`join`,
/// `format`, `replace`, ...), literal strings and a template that is a single interpolation (which
/// yields its value unconverted) are not measured against it.
const MAX_STRING: usize = 1 << 24;

/// A traversal operator with its index already evaluated.
#[derive(Clone, Debug)]
pub enum EvOp<'e> {
    /// An attribute name, borrowed from the expression.
    Attr(&'e str),
    Index(Node),
    Splat {
        attrs_only: bool,
    },
}

/// Answers the names an expression cannot answer itself.
pub trait Resolver {
    /// Resolve a reference rooted at the name `root` (`var`, `local`, `module`, `data`, a resource
    /// type, `count`, `each`, `path`, ...). Returns the value and how many of `ops` it used.
    fn resolve(&mut self, root: &str, ops: &[EvOp<'_>], span: Span) -> (Node, usize);
    /// The attribute `name` of a resource reference as its configuration gives it, when the
    /// loader can look through to it; `None` leaves it a reference, known after apply.
    fn configured_attr(&mut self, r: &ResourceRef, name: &str) -> Option<Node>;
    fn limits(&mut self) -> &mut Limits;
    /// The text of the file at `path` (Terraform's `file()`), relative to the root module;
    /// `Ok(None)` when there is no such file. `at` is the call, in the file that reads it.
    fn read_file(&mut self, path: &str, _at: Span) -> Result<Option<String>, String> {
        Err(format!("cannot read {path} here"))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub message: String,
    pub span: Span,
}

pub struct Eval<'r> {
    r: &'r mut dyn Resolver,
    /// Names bound by `for` expressions, template `for` directives and `dynamic` iterators.
    binds: Vec<(Name, Node)>,
}

impl<'r> Eval<'r> {
    pub fn new(r: &'r mut dyn Resolver) -> Eval<'r> {
        Eval {
            r,
            binds: Vec::new(),
        }
    }

    pub fn with_binds(r: &'r mut dyn Resolver, binds: Vec<(Name, Node)>) -> Eval<'r> {
        Eval { r, binds }
    }

    /// The names given to [`Eval::with_binds`], back (evaluation leaves them as they were).
    pub fn into_binds(self) -> Vec<(Name, Node)> {
        self.binds
    }

    /// Evaluate to a node; an evaluation error becomes an unknown naming the expression.
    pub fn value(&mut self, e: &Expr) -> Node {
        match self.eval(e) {
            Ok(n) => n,
            Err(err) => Node::unknown(
                Unknown::new(describe(e), format!("cannot be evaluated: {}", err.message)),
                Some(err.span),
            ),
        }
    }

    pub fn eval(&mut self, e: &Expr) -> Result<Node, EvalError> {
        let lim = self.r.limits();
        if lim.depth as usize >= crate::limits::current().eval_depth {
            return Ok(Node::unknown(
                Unknown::new(describe(e), "is nested too deeply to evaluate"),
                Some(e.span),
            ));
        }
        // Every expression evaluated is a step, as every element produced is.
        if !lim.charge(1) {
            return err(budget_message(), e.span);
        }
        lim.depth += 1;
        let out = self.eval_inner(e).map(|n| keep_identity(n, &e.kind));
        let lim = self.r.limits();
        lim.depth = lim.depth.saturating_sub(1);
        if lim.exhausted && lim.exhausted_at.is_none() {
            lim.exhausted_at = Some(e.span);
        }
        out
    }

    fn eval_inner(&mut self, e: &Expr) -> Result<Node, EvalError> {
        let span = e.span;
        let node = |v: Value| Ok(Node::new(v, Some(span)));
        match &e.kind {
            ExprKind::Null => node(Value::Null),
            ExprKind::Bool(b) => node(Value::Bool(*b)),
            ExprKind::Number(n) => node(Value::Number(*n)),
            ExprKind::Str(s) => node(Value::String(s.as_str().into())),
            ExprKind::Template(parts) => self.template(parts, span),
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    out.push(self.eval(it)?);
                }
                node(Value::List(out))
            }
            ExprKind::Object(members) => {
                let mut out: Vec<(CompactString, Node)> = Vec::with_capacity(members.len());
                for (k, v) in members {
                    let key = match k {
                        Key::Name(n) => n.as_str().into(),
                        Key::Expr(ke) => {
                            let kn = self.eval(ke)?;
                            match to_str(&kn.value) {
                                Ok(s) => s,
                                Err(h) => return self.halted(h, ke.span),
                            }
                        }
                    };
                    let val = self.eval(v)?;
                    insert(&mut out, key, val);
                }
                node(Value::Object(out))
            }
            ExprKind::Var(name) => {
                let n = match self.bound(name) {
                    Some(n) => n,
                    None => self.r.resolve(name, &[], span).0,
                };
                self.copied(n, span)
            }
            ExprKind::Traverse(base, ops) => self.traverse(base, ops, span),
            ExprKind::Call(name, args, expand) => self.call(name, args, *expand, span),
            ExprKind::Cond(c, t, f) => {
                let cond = self.eval(c)?;
                match to_bool(&cond.value) {
                    Ok(true) => self.eval(t),
                    Ok(false) => self.eval(f),
                    Err(Halt::Unknown(u)) => Ok(self.choice(u, t, f, c.span)),
                    Err(h) => self.halted(h, c.span).map(plain),
                }
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(x)?;
                let out = match op {
                    UnOp::Not => to_bool(&v.value).map(|b| Value::Bool(!b)),
                    UnOp::Neg => to_num(&v.value).map(|n| Value::Number(-n)),
                };
                self.finish(out, span)
            }
            ExprKind::Binary(op, l, r) => {
                let lv = self.eval(l)?;
                let rv = self.eval(r)?;
                let out = binary(*op, &lv.value, &rv.value);
                let out = match (op, out) {
                    // The same comparison is the same answer wherever it is made: its identity,
                    // so that what is chosen by it is one value too (not the identity of a side).
                    (BinOp::Eq | BinOp::NotEq, Err(Halt::Unknown(u))) => {
                        let sign = if *op == BinOp::Eq { "==" } else { "!=" };
                        let identity = argument_text(&lv.value)
                            .zip(argument_text(&rv.value))
                            .map(|(a, b)| symbolic::encode_term(&format!("{a} {sign} {b}")).into());
                        Err(Halt::Unknown(Unknown { identity, ..u }))
                    }
                    (_, out) => out,
                };
                self.finish(out, span)
            }
            ExprKind::For(f) => self.for_expr(f, span),
        }
    }

    /// `cond ? t : f` where `cond` is unknown: the branches' value when they agree; else
    /// unknown, but the same choice between the same values is one value wherever it is made (a
    /// zone name chosen by `var.government`, written again in its link), so it has that choice as
    /// its identity; not the condition's.
    fn choice(&mut self, u: Unknown, t: &Expr, f: &Expr, span: Span) -> Node {
        let (a, b) = (self.eval(t).ok(), self.eval(f).ok());
        // Both branches agree: the condition does not matter.
        if let (Some(a), Some(b)) = (&a, &b) {
            if matches!(equal(&a.value, &b.value), Ok(true)) {
                return a.clone();
            }
        }
        let cond = u.identity.as_deref().and_then(symbolic::whole_term);
        let text = |n: Option<Node>| argument_text(&n?.value);
        let identity = match (cond, text(a), text(b)) {
            (Some(c), Some(a), Some(b)) => {
                Some(symbolic::encode_term(&format!("{c} ? {a} : {b}")).into())
            }
            _ => None,
        };
        Node::unknown(Unknown { identity, ..u }, Some(span))
    }

    fn bound(&self, name: &str) -> Option<Node> {
        self.binds
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// A value copied from elsewhere (a reference, a bound name): what the copy took counts
    /// against the byte budget.
    fn copied(&mut self, n: Node, span: Span) -> Result<Node, EvalError> {
        match self.r.limits().charge_value(&n.value) {
            Ok(()) => Ok(n),
            Err(h) => self.halted(h, span),
        }
    }

    /// The elements of `coll` copied to iterate over them.
    fn copied_pairs(&mut self, coll: &Node, span: Span) -> Result<(), EvalError> {
        match self.r.limits().charge_value(&coll.value) {
            Ok(()) => Ok(()),
            Err(Halt::Err(m)) => err(m, span),
            Err(Halt::Unknown(_)) => Ok(()),
        }
    }

    fn halted(&self, h: Halt, span: Span) -> Result<Node, EvalError> {
        match h {
            Halt::Unknown(u) => Ok(Node::unknown(u, Some(span))),
            Halt::Err(message) => Err(EvalError { message, span }),
        }
    }

    fn finish(&self, out: Fx<Value>, span: Span) -> Result<Node, EvalError> {
        match out {
            Ok(v) => Ok(Node::new(v, Some(span))),
            Err(h) => self.halted(h, span),
        }
    }

    /// `base` followed by `ops`. The evaluated operators of short traversals (nearly all of them)
    /// live on the stack rather than in a fresh vector.
    fn traverse(&mut self, base: &Expr, ops: &[Op], span: Span) -> Result<Node, EvalError> {
        const SHORT: usize = 4;
        if ops.len() > SHORT {
            let mut evops = Vec::with_capacity(ops.len());
            for op in ops {
                evops.push(self.eval_op(op)?);
            }
            return self.traverse_with(base, &evops, span);
        }
        let filler = || EvOp::Splat { attrs_only: false };
        let mut buf = [filler(), filler(), filler(), filler()];
        for (slot, op) in buf.iter_mut().zip(ops) {
            *slot = self.eval_op(op)?;
        }
        self.traverse_with(base, buf.get(..ops.len()).unwrap_or(&[]), span)
    }

    fn eval_op<'e>(&mut self, op: &'e Op) -> Result<EvOp<'e>, EvalError> {
        Ok(match op {
            Op::Attr(a) => EvOp::Attr(a),
            Op::Index(x) => EvOp::Index(self.eval(x)?),
            Op::Splat { attrs_only } => EvOp::Splat {
                attrs_only: *attrs_only,
            },
        })
    }

    fn traverse_with(
        &mut self,
        base: &Expr,
        evops: &[EvOp<'_>],
        span: Span,
    ) -> Result<Node, EvalError> {
        let (start, used) = match &base.kind {
            ExprKind::Var(name) if !self.binds.iter().any(|(n, _)| n == name) => {
                let (n, used) = self.r.resolve(name, evops, span);
                (self.copied(n, span)?, used)
            }
            _ => (self.eval(base)?, 0),
        };
        let rest = evops.get(used..).unwrap_or(&[]);
        // A part of an unknown value (`var.network.hub`) is not the value itself.
        let whole = rest.is_empty() || !matches!(start.value, Value::Unknown(_));
        let out = self.apply(start, rest, span)?;
        Ok(if whole { out } else { plain(out) })
    }

    /// Apply traversal operators to a value.
    pub fn apply(&mut self, start: Node, ops: &[EvOp<'_>], span: Span) -> Result<Node, EvalError> {
        let mut cur = start;
        // The attribute of a resource that `cur` is read from, while it is the resource's
        // configuration (a nested block): what the configuration lacks there is an attribute
        // the provider computes (`ip_configuration[0].private_ip_address`), known after apply.
        let mut configured: Option<ResourceRef> = None;
        for (i, op) in ops.iter().enumerate() {
            let from = configured.take();
            cur = match op {
                EvOp::Attr(name) => match cur.value {
                    Value::Object(_) => match (cur.get_exact(name), from) {
                        (Some(n), from) => {
                            configured = from.map(|r| r.with(name));
                            n
                        }
                        (None, Some(r)) => Node::new(Value::Ref(r.with(name)), Some(span)),
                        (None, None) => {
                            return err(format!("object has no attribute \"{name}\""), span)
                        }
                    },
                    Value::Ref(r) => match self.r.configured_attr(&r, name) {
                        Some(n) => {
                            configured = Some(r.with(name));
                            n
                        }
                        None => Node::new(Value::Ref(r.with(name)), Some(span)),
                    },
                    Value::Unknown(_) => cur,
                    Value::Null => {
                        return err(
                            format!("cannot read attribute \"{name}\" of a null value"),
                            span,
                        )
                    }
                    other => {
                        return err(
                            format!(
                                "cannot read attribute \"{name}\" of a {}",
                                other.type_name()
                            ),
                            span,
                        )
                    }
                },
                EvOp::Index(key) => match index(cur, key) {
                    Ok(n) => {
                        configured = from.and_then(|r| match &key.value {
                            Value::Number(k) => Some(r.with(&crate::value::number_text(*k))),
                            Value::String(k) => Some(r.with(k)),
                            _ => None,
                        });
                        n
                    }
                    Err(h) => return self.halted(h, span),
                },
                EvOp::Splat { attrs_only } => {
                    let items = match cur.value {
                        Value::List(items) => items,
                        Value::Null => Vec::new(),
                        Value::Unknown(_) => return Ok(cur),
                        _ => vec![cur],
                    };
                    if !self.r.limits().charge(items.len() as u64) {
                        return err(budget_message(), span);
                    }
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    let each = match attrs_only {
                        true => rest
                            .iter()
                            .take_while(|op| matches!(op, EvOp::Attr(_)))
                            .count(),
                        false => rest.len(),
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for it in items {
                        out.push(self.apply(it, &rest[..each], span)?);
                    }
                    let list = Node::new(Value::List(out), Some(span));
                    return self.apply(list, &rest[each..], span);
                }
            };
        }
        Ok(cur)
    }

    fn template(&mut self, parts: &[Part], span: Span) -> Result<Node, EvalError> {
        if let [Part::Interp(e)] = parts {
            let mut n = self.eval(e)?;
            n.span = Some(span);
            return Ok(n);
        }
        let mut out = String::new();
        let mut input = None;
        let rendered = self.render(parts, &mut out, &mut input, span)?;
        if !self.r.limits().charge_bytes(out.len() as u64) {
            return err(size_message(), span);
        }
        match (rendered, input) {
            (None, None) => Ok(Node::new(Value::text(out), Some(span))),
            // Made of an input nobody gave and text: unknown, with that text as its identity
            // (`"${var.vnet_id}/subnets/pe"` is in the VNet `var.vnet_id` names).
            (None, Some(u)) => Ok(Node::unknown(
                Unknown {
                    identity: Some(out.into()),
                    ..u
                },
                Some(span),
            )),
            // An unknown that is not text made of an input (a condition, a collection): the
            // result is not that input.
            (Some(u), _) => Ok(Node::unknown(
                Unknown {
                    identity: None,
                    ..u
                },
                Some(span),
            )),
        }
    }

    /// Render template parts into `out`; `Some(unknown)` when an interpolated value is unknown.
    /// An input nobody gave (an unknown with an identity) is rendered as its identity, and the
    /// first such input is kept in `input`.
    fn render(
        &mut self,
        parts: &[Part],
        out: &mut String,
        input: &mut Option<Unknown>,
        span: Span,
    ) -> Result<Option<Unknown>, EvalError> {
        for p in parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Interp(e) => {
                    let v = self.eval(e)?;
                    if let Some(text) = deployment_text(&v.value) {
                        out.push_str(&text);
                        continue;
                    }
                    match &v.value {
                        Value::Unknown(u) if u.identity.is_some() => {
                            out.push_str(u.identity.as_deref().unwrap_or_default());
                            input.get_or_insert_with(|| u.clone());
                            continue;
                        }
                        _ => {}
                    }
                    match to_str(&v.value) {
                        Ok(s) => out.push_str(&s),
                        Err(Halt::Unknown(u)) => return Ok(Some(u)),
                        Err(Halt::Err(m)) => return err(m, e.span),
                    }
                }
                Part::If(c, then, other) => {
                    let cv = self.eval(c)?;
                    let branch = match to_bool(&cv.value) {
                        Ok(true) => then,
                        Ok(false) => other,
                        Err(Halt::Unknown(u)) => return Ok(Some(u)),
                        Err(Halt::Err(m)) => return err(m, c.span),
                    };
                    if let Some(u) = self.render(branch, out, input, span)? {
                        return Ok(Some(u));
                    }
                }
                Part::For {
                    key,
                    value,
                    coll,
                    body,
                } => {
                    let cv = self.eval(coll)?;
                    let pairs = match pairs(&cv.value) {
                        Ok(p) => p,
                        Err(Halt::Unknown(u)) => return Ok(Some(u)),
                        Err(Halt::Err(m)) => return err(m, coll.span),
                    };
                    self.copied_pairs(&cv, coll.span)?;
                    if !self.r.limits().charge(pairs.len() as u64) {
                        return err(budget_message(), coll.span);
                    }
                    for (k, v) in pairs {
                        let mark = self.binds.len();
                        if let Some(kname) = key {
                            self.binds.push((kname.clone(), k));
                        }
                        self.binds.push((value.clone(), v));
                        let res = self.render(body, out, input, span);
                        self.binds.truncate(mark);
                        if let Some(u) = res? {
                            return Ok(Some(u));
                        }
                    }
                }
            }
            if out.len() > MAX_STRING {
                return err("string is too long".into(), span);
            }
            if !self.r.limits().fits(out.len() as u64) {
                return err(size_message(), span);
            }
        }
        Ok(None)
    }

    fn for_expr(&mut self, f: &ForExpr, span: Span) -> Result<Node, EvalError> {
        let cv = self.eval(&f.coll)?;
        let pairs = match pairs(&cv.value) {
            Ok(p) => p,
            Err(h) => return self.halted(h, f.coll.span),
        };
        self.copied_pairs(&cv, span)?;
        if !self.r.limits().charge(pairs.len() as u64) {
            return err(budget_message(), span);
        }
        let mut list = Vec::new();
        let mut obj: Vec<(CompactString, Node)> = Vec::new();
        for (k, v) in pairs {
            let mark = self.binds.len();
            if let Some(kname) = &f.key_var {
                self.binds.push((kname.clone(), k));
            }
            self.binds.push((f.value_var.clone(), v));
            let res = self.for_item(f, &mut list, &mut obj);
            self.binds.truncate(mark);
            if let Some(unknown) = res? {
                return Ok(unknown);
            }
        }
        if f.key.is_some() {
            Ok(Node::new(Value::Object(obj), Some(span)))
        } else {
            Ok(Node::new(Value::List(list), Some(span)))
        }
    }

    /// One iteration of a `for` expression; `Some` when the result is unknown as a whole.
    fn for_item(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Node>,
        obj: &mut Vec<(CompactString, Node)>,
    ) -> Result<Option<Node>, EvalError> {
        if let Some(c) = &f.cond {
            let cv = self.eval(c)?;
            match to_bool(&cv.value) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(h) => return self.halted(h, c.span).map(Some),
            }
        }
        let val = self.eval(&f.value)?;
        let Some(ke) = &f.key else {
            list.push(val);
            return Ok(None);
        };
        let kv = self.eval(ke)?;
        let key = match to_str(&kv.value) {
            Ok(s) => s,
            Err(h) => return self.halted(h, ke.span).map(Some),
        };
        if f.group {
            match obj.iter_mut().find(|(k, _)| *k == key) {
                Some((
                    _,
                    Node {
                        value: Value::List(items),
                        ..
                    },
                )) => items.push(val),
                _ => obj.push((key, Node::new(Value::List(vec![val]), kv.span))),
            }
        } else if obj.iter().any(|(k, _)| *k == key) {
            return err(
                format!("duplicate key \"{key}\" in a for expression (use ... to group)"),
                ke.span,
            );
        } else {
            obj.push((key, val));
        }
        Ok(None)
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Expr],
        expand: bool,
        span: Span,
    ) -> Result<Node, EvalError> {
        match name {
            "try" => {
                for a in args {
                    if let Ok(n) = self.eval(a) {
                        return Ok(n);
                    }
                }
                return err("no argument of try() could be evaluated".into(), span);
            }
            "can" => {
                let Some(a) = args.first() else {
                    return err("can() takes one argument".into(), span);
                };
                return Ok(match self.eval(a) {
                    Ok(Node {
                        value: Value::Unknown(u),
                        ..
                    }) => Node::unknown(u, Some(span)),
                    Ok(_) => Node::new(Value::Bool(true), Some(span)),
                    Err(_) => Node::new(Value::Bool(false), Some(span)),
                });
            }
            "join" => {
                if let Some(n) = self.vnet_of_subnet_input(args, span)? {
                    return Ok(n);
                }
            }
            _ => {}
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        if expand {
            match vals.pop().map(|n| n.value) {
                Some(Value::List(items)) => vals.extend(items),
                Some(Value::Unknown(u)) => return Ok(Node::unknown(u, Some(span))),
                Some(Value::Ref(r)) => return Ok(Node::unknown(after_apply(&r), Some(span))),
                _ => return err("the expanded argument (...) must be a list".into(), span),
            }
        }
        // Calls answered with what the table's functions cannot see: resources and files.
        match name {
            "split" | "basename" => {
                if let Some(n) = self.id_call(name, &vals, span)? {
                    return Ok(n);
                }
            }
            n if funcs::FROM_DISK.contains(&n) => return self.file_call(n, &vals, span),
            _ => {}
        }
        let lim = self.r.limits();
        let out = funcs::call(name, &vals, span, lim)
            .and_then(|v| lim.charge_value(&v).map(|()| v))
            .map_err(|h| match h {
                Halt::Err(m) => Halt::Err(format!("{name}(): {m}")),
                // Of inputs nobody gave, the call itself (`replace(var.prefix, "-", "")`): the
                // functions are deterministic, so the same call is the same value wherever it
                // is made (a record named after the registry it names).
                Halt::Unknown(u) => Halt::Unknown(Unknown {
                    identity: call_identity(name, &vals),
                    ..u
                }),
            });
        self.finish(out, span)
    }
}

impl Eval<'_> {
    /// `join("/", slice(split("/", id), 0, 9))`, the VNet id of a subnet id (the idiom of
    /// modules given only a subnet): of a subnet id given whole as an input nobody gave, the VNet
    /// it names ([`crate::symbolic::vnet_of_subnet`]). `None`: any other call or id.
    fn vnet_of_subnet_input(
        &mut self,
        args: &[Expr],
        span: Span,
    ) -> Result<Option<Node>, EvalError> {
        fn call<'e>(e: &'e Expr, name: &str) -> &'e [Expr] {
            match &e.kind {
                ExprKind::Call(n, args, false) if n == name => args,
                _ => &[],
            }
        }
        let slash = |e: &Expr| matches!(&e.kind, ExprKind::Str(s) if s == "/");
        let number = |e: &Expr, n: f64| matches!(e.kind, ExprKind::Number(x) if x == n);
        let [sep, list] = args else {
            return Ok(None);
        };
        let [split, from, to] = call(list, "slice") else {
            return Ok(None);
        };
        let [sep2, id] = call(split, "split") else {
            return Ok(None);
        };
        if !(slash(sep) && slash(sep2) && number(from, 0.0) && number(to, 9.0)) {
            return Ok(None);
        }
        let Value::Unknown(u) = self.eval(id)?.value else {
            return Ok(None);
        };
        let Some(identity) = u
            .identity
            .as_deref()
            .filter(|i| symbolic::whole_term(i).is_some())
        else {
            return Ok(None);
        };
        let vnet = Unknown {
            identity: Some(symbolic::vnet_of_subnet(identity).into()),
            ..u.clone()
        };
        Ok(Some(Node::unknown(vnet, Some(span))))
    }

    /// `split("/", r.id)` and `basename(r.id)` of a resource whose id layout is known: its
    /// segments, each the resource's own attribute (see [`ids`]). `None`: any other call.
    fn id_call(
        &mut self,
        name: &str,
        args: &[Node],
        span: Span,
    ) -> Result<Option<Node>, EvalError> {
        let id = match (name, args) {
            ("split", [sep, id]) if matches!(&sep.value, Value::String(s) if s == "/") => id,
            ("basename", [id]) => id,
            _ => return Ok(None),
        };
        let Value::Ref(r) = &id.value else {
            return Ok(None);
        };
        let Some(segments) = ids::id_segments(r) else {
            return Ok(None);
        };
        if name == "basename" {
            return segments
                .last()
                .map(|s| self.id_segment(s, r, span))
                .transpose();
        }
        let parts = segments
            .iter()
            .map(|s| self.id_segment(s, r, span))
            .collect::<Result<_, _>>()?;
        Ok(Some(Node::new(Value::List(parts), Some(span))))
    }

    /// One segment of the id that `id` reads.
    fn id_segment(
        &mut self,
        segment: &ids::Segment,
        id: &ResourceRef,
        span: Span,
    ) -> Result<Node, EvalError> {
        Ok(match segment {
            ids::Segment::Text(t) => Node::new(Value::String((*t).into()), Some(span)),
            ids::Segment::Attr(a) => {
                let resource = ResourceRef {
                    addr: id.addr.clone(),
                    attr: Vec::new(),
                };
                let node = Node::new(Value::Ref(resource), Some(span));
                self.apply(node, &[EvOp::Attr(a)], span)?
            }
            ids::Segment::Subscription => Node::unknown(after_apply(id), Some(span)),
        })
    }

    /// `file(path)` and `fileexists(path)`, which read the disk through the resolver. A file
    /// that is not there is unknown: a pipeline may write it before `terraform plan`.
    fn file_call(&mut self, name: &str, args: &[Node], span: Span) -> Result<Node, EvalError> {
        let [path] = args else {
            return err(format!("{name}() takes one argument"), span);
        };
        let path = match to_str(&path.value) {
            Ok(p) => p,
            Err(h) => return self.halted(h, span),
        };
        let read = self.r.read_file(&path, span).map_err(|m| EvalError {
            message: format!("{name}(): {m}"),
            span,
        })?;
        let value = match (name, read) {
            ("fileexists", found) => Value::Bool(found.is_some()),
            (_, Some(text)) => Value::String(text.into()),
            (_, None) => Value::Unknown(Unknown::new(
                format!("file(\"{path}\")"),
                "reads a file that is not there",
            )),
        };
        let out = self.r.limits().charge_value(&value).map(|()| value);
        self.finish(out, span)
    }
}

fn err<T>(message: String, span: Span) -> Result<T, EvalError> {
    Err(EvalError { message, span })
}

trait GetExact {
    fn get_exact(&self, key: &str) -> Option<Node>;
}

impl GetExact for Node {
    /// HCL attribute names are case-sensitive, unlike [`Value::get`].
    fn get_exact(&self, key: &str) -> Option<Node> {
        match &self.value {
            Value::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
            _ => None,
        }
    }
}

fn index(cur: Node, key: &Node) -> Fx<Node> {
    if let Some(u) = shallow_unknown(&key.value) {
        return Err(Halt::Unknown(u));
    }
    match cur.value {
        Value::List(items) => {
            let i = to_int(&key.value)?;
            usize::try_from(i)
                .ok()
                .and_then(|i| items.into_iter().nth(i))
                .ok_or_else(|| Halt::Err(format!("index {i} is out of range")))
        }
        Value::Object(members) => {
            let k = to_str(&key.value)?;
            members
                .into_iter()
                .find(|(m, _)| *m == k)
                .map(|(_, v)| v)
                .ok_or_else(|| Halt::Err(format!("the map has no key \"{k}\"")))
        }
        Value::Ref(mut r) => {
            r.attr.push(to_str(&key.value)?.into());
            Ok(Node::new(Value::Ref(r), cur.span))
        }
        Value::Unknown(u) => Ok(Node::unknown(u, cur.span)),
        Value::Null => Err(Halt::Err("cannot index a null value".into())),
        other => Err(Halt::Err(format!("cannot index a {}", other.type_name()))),
    }
}

fn binary(op: BinOp, l: &Value, r: &Value) -> Fx<Value> {
    match op {
        BinOp::And | BinOp::Or => {
            let decide = op == BinOp::Or;
            let (lb, rb) = (to_bool(l), to_bool(r));
            if matches!(lb, Ok(b) if b == decide) || matches!(rb, Ok(b) if b == decide) {
                return Ok(Value::Bool(decide));
            }
            lb?;
            rb?;
            Ok(Value::Bool(!decide))
        }
        BinOp::Eq => equal(l, r).map(Value::Bool),
        BinOp::NotEq => equal(l, r).map(|b| Value::Bool(!b)),
        BinOp::Less => nums(l, r).map(|(a, b)| Value::Bool(a < b)),
        BinOp::LessEq => nums(l, r).map(|(a, b)| Value::Bool(a <= b)),
        BinOp::Greater => nums(l, r).map(|(a, b)| Value::Bool(a > b)),
        BinOp::GreaterEq => nums(l, r).map(|(a, b)| Value::Bool(a >= b)),
        BinOp::Add => nums(l, r).map(|(a, b)| Value::Number(a + b)),
        BinOp::Sub => nums(l, r).map(|(a, b)| Value::Number(a - b)),
        BinOp::Mul => nums(l, r).map(|(a, b)| Value::Number(a * b)),
        BinOp::Div | BinOp::Mod => {
            let (a, b) = nums(l, r)?;
            if b == 0.0 {
                return Err(Halt::Err("division by zero".into()));
            }
            Ok(Value::Number(if op == BinOp::Div { a / b } else { a % b }))
        }
    }
}

fn nums(l: &Value, r: &Value) -> Fx<(f64, f64)> {
    Ok((to_num(l)?, to_num(r)?))
}

/// A short rendering of an expression for messages: `var.sku`, `lookup(...)`.
pub fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(n) => n.as_str().to_owned(),
        ExprKind::Traverse(base, ops) => {
            let mut s = describe(base);
            for op in ops {
                match op {
                    Op::Attr(a) => {
                        s.push('.');
                        s.push_str(a);
                    }
                    Op::Index(i) => match &i.kind {
                        ExprKind::Number(n) => s.push_str(&format!("[{}]", fmt_num(*n))),
                        ExprKind::Str(k) => s.push_str(&format!("[\"{k}\"]")),
                        _ => s.push_str("[...]"),
                    },
                    Op::Splat { attrs_only: true } => s.push_str(".*"),
                    Op::Splat { attrs_only: false } => s.push_str("[*]"),
                }
            }
            s
        }
        ExprKind::Call(name, _, _) => format!("{name}(...)"),
        ExprKind::Str(s) => format!("\"{s}\""),
        ExprKind::Number(n) => fmt_num(*n),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::Template(_) => "string template".into(),
        ExprKind::Tuple(_) => "list".into(),
        ExprKind::Object(_) => "object".into(),
        ExprKind::Cond(..) => "conditional expression".into(),
        ExprKind::Unary(..) | ExprKind::Binary(..) => "operation".into(),
        ExprKind::For(_) => "for expression".into(),
    }
}

/// A value as an argument written in HCL, strings quoted (see [`Value::argument_text`]).
fn argument_text(v: &Value) -> Option<String> {
    v.argument_text(|s| serde_json::to_string(s).unwrap_or_default(), "null")
}

/// The identity of a call whose result is unknown: the call, written with its arguments, when
/// each is known or an input nobody gave (with an identity); `None` otherwise.
fn call_identity(name: &str, args: &[Node]) -> Option<Box<str>> {
    let args: Option<Vec<String>> = args.iter().map(|a| argument_text(&a.value)).collect();
    let text = format!("{name}({})", args?.join(", "));
    Some(symbolic::encode_term(&text).into())
}

/// Whether `n` is unknown with the identity of a call of `name` ([`call_identity`]), not the
/// identity of an argument passed through.
fn is_call_of(n: &Node, name: &str) -> bool {
    let Value::Unknown(u) = &n.value else {
        return false;
    };
    let term = u.identity.as_deref().and_then(symbolic::whole_term);
    term.is_some_and(|t| {
        t.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('('))
    })
}

/// An unknown value without the identity of an input: what is computed from an input (a call,
/// an operation, a part of it) is not that input.
fn plain(mut n: Node) -> Node {
    if let Value::Unknown(u) = &mut n.value {
        u.identity = None;
    }
    n
}

/// Only an input itself (a reference to it, a conditional that chose it) and text made of it
/// ([`Eval::template`]) keep an input's identity; and the VNet a subnet id input names, taken
/// apart and joined again ([`Eval::vnet_of_subnet_input`]). A call of inputs has its own
/// ([`call_identity`]).
fn keep_identity(n: Node, kind: &ExprKind) -> Node {
    let vnet_of_subnet = |n: &Node| match &n.value {
        Value::Unknown(u) => u
            .identity
            .as_deref()
            .is_some_and(symbolic::is_vnet_of_subnet),
        _ => false,
    };
    match kind {
        ExprKind::Var(_) | ExprKind::Traverse(..) | ExprKind::Template(_) | ExprKind::Cond(..) => n,
        // A comparison's own identity (see the evaluation of `Binary`).
        ExprKind::Binary(BinOp::Eq | BinOp::NotEq, ..) => n,
        ExprKind::Call(name, ..) if name == "join" && vnet_of_subnet(&n) => n,
        ExprKind::Call(name, ..) if is_call_of(&n, name) => n,
        _ => plain(n),
    }
}
