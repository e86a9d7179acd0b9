//! The syntax tree of a Bicep or `.bicepparam` file, as the parser produces it and the lowering
//! reads it. Every node carries the byte range it was written at; recovery from a syntax error
//! leaves an `Error` node (with the error reported separately) so that the rest of the file is
//! still lowered.

use std::ops::Range;

pub type Span = Range<usize>;

/// A whole file: its statements in order.
#[derive(Clone, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
}

/// A name as written (`acr`, `location`), with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `@name(args)` or `@ns.name(args)` before a statement, object property, type property or
/// module/resource loop. `call` is the decorator's expression (a `Call`).
#[derive(Clone, Debug)]
pub struct Decorator {
    pub call: Expr,
    pub span: Span,
}

impl Decorator {
    /// The decorator's function name without namespace (`description` for `@sys.description`).
    pub fn name(&self) -> Option<&str> {
        match &self.call.kind {
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Ident(n) => Some(n.as_str()),
                ExprKind::Member { name, .. } => Some(name.name.as_str()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The decorator's arguments.
    pub fn args(&self) -> &[Expr] {
        match &self.call.kind {
            ExprKind::Call { args, .. } => args,
            _ => &[],
        }
    }
}

/// A top-level statement (or a nested child resource inside a resource body).
#[derive(Clone, Debug)]
pub struct Item {
    pub decorators: Vec<Decorator>,
    pub kind: ItemKind,
    /// The whole statement, decorators excluded.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ItemKind {
    /// `targetScope = 'subscription'`
    TargetScope(Expr),
    /// `metadata name = value`
    Metadata { name: Ident, value: Expr },
    /// `param name type = default`, `param name type?`, `param name resource 'T@v'` (legacy).
    Param {
        name: Ident,
        ty: TypeExpr,
        default: Option<Expr>,
    },
    /// `var name = value` (optionally typed: `var name type = value`).
    Var {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `resource name 'Type@version' existing = body`.
    Resource(Box<Resource>),
    /// `module name 'path' = body` (body: object, `if`, or `for`).
    Module {
        name: Ident,
        /// The path or registry reference string (`'./dns.bicep'`, `'br/public:avm/res/x:1.0'`).
        path: StrLit,
        body: Expr,
    },
    /// `output name type = value` (or `output name resource 'T@v' = value`).
    Output {
        name: Ident,
        ty: TypeExpr,
        value: Expr,
    },
    /// `type name = typeExpr`
    Type { name: Ident, ty: TypeExpr },
    /// `func name(a type, b type) returnType => body`
    Func {
        name: Ident,
        params: Vec<(Ident, TypeExpr)>,
        ret: TypeExpr,
        body: Expr,
    },
    /// `import {a, b as c} from 'path'`, `import * as ns from 'path'`, or the older
    /// `import 'az@1.0.0'` / `import 'kubernetes@1.0.0' with {...} as k8s` (an extension: `from` is
    /// `None`).
    Import {
        symbols: ImportSymbols,
        from: Option<StrLit>,
    },
    /// `extension name` / `extension 'ref' with {...} as alias` / `provider ...` (older name).
    Extension { span: Span },
    /// `.bicepparam`: `using 'path'` (or `using none`: `path` is `None`).
    Using { path: Option<StrLit> },
    /// `.bicepparam`: `extends 'base.bicepparam'` (added by the parser).
    Extends { path: StrLit },
    /// `.bicepparam`: `param name = value`.
    ParamValue { name: Ident, value: Expr },
    /// `assert name = condition` (experimental), kept only to be skipped.
    Assert { name: Ident, value: Expr },
    /// `test name 'path' = {...}` (experimental test framework), kept only to be skipped (added
    /// by the parser).
    Test {
        name: Ident,
        path: StrLit,
        body: Expr,
    },
    /// A statement that could not be parsed; the error is in the parse's error list.
    Error,
}

#[derive(Clone, Debug)]
pub enum ImportSymbols {
    /// `import {a, b as c} from ...`: (original name, local alias).
    Named(Vec<(Ident, Option<Ident>)>),
    /// `import * as ns from ...`
    Wildcard(Ident),
    /// An extension import (`import 'az@1.0.0'`): nothing to bind for acrlint.
    None,
}

/// `resource name 'Type@version' existing = body`.
#[derive(Clone, Debug)]
pub struct Resource {
    pub name: Ident,
    /// The type string, `Microsoft.ContainerRegistry/registries@2023-07-01`, or for a child
    /// declared inside its parent's body, the child's type alone (`subnets@2024-05-01` or just
    /// `subnets`).
    pub type_string: StrLit,
    pub existing: bool,
    /// An `Object`, `If { body: Object }`, or `For` whose body is an object or an `If`.
    pub body: Expr,
}

/// A string literal with no interpolation (paths, resource types). `value` is unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// An integer literal. Bicep integers are 64-bit; a literal that does not fit is a syntax
    /// error.
    Int(i64),
    /// `'text'` or `'''multi-line'''`: the literal parts and interpolated expressions in order.
    /// A string without interpolation has one `Lit` part (or none when empty).
    String(Vec<StrPart>),
    Array(Vec<ArrayItem>),
    Object(Vec<ObjectItem>),
    /// A name: parameter, variable, resource, module, loop variable, function, namespace (`az`,
    /// `sys`), lambda parameter, or an imported alias.
    Ident(String),
    /// `target.name`, `target.?name` (`safe`).
    Member {
        target: Box<Expr>,
        name: Ident,
        safe: bool,
    },
    /// `target::child` (nested resource access).
    Child {
        target: Box<Expr>,
        name: Ident,
    },
    /// `target[index]`, `target[?index]` (`safe`), `target[^index]` (`from_end`).
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
        from_end: bool,
    },
    /// `callee(args)`; `callee` is an `Ident` (`concat`) or a `Member` (`az.resourceGroup`,
    /// `sys.concat`, `acr.listKeys`, `ns.myFunc`).
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `cond ? then : otherwise`
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `x => body`, `(x, y) => body`, `() => body`.
    Lambda {
        params: Vec<Ident>,
        body: Box<Expr>,
    },
    /// `(expr)`: kept so that spans of parenthesised expressions are exact.
    Paren(Box<Expr>),
    /// `expr!`: non-null assertion.
    NonNull(Box<Expr>),
    /// `[for item in iterable: body]`, `[for (item, index) in iterable: body]`; `body` may be an
    /// `If` (filter) in resource and module loops, and in property loops.
    For {
        item: Option<Ident>,
        index: Option<Ident>,
        iterable: Box<Expr>,
        body: Box<Expr>,
    },
    /// `if (cond) body`: only as the body of a resource, module, or a `for` body.
    If {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    /// An expression that could not be parsed; the error is in the parse's error list.
    Error,
}

#[derive(Clone, Debug)]
pub enum StrPart {
    /// Unescaped literal text.
    Lit(String),
    /// `${expr}`
    Interp(Expr),
}

#[derive(Clone, Debug)]
pub enum ArrayItem {
    Item(Expr),
    /// `...expr`
    Spread(Expr),
}

#[derive(Clone, Debug)]
pub enum ObjectItem {
    Property {
        decorators: Vec<Decorator>,
        key: Key,
        value: Expr,
        /// The whole `key: value`.
        span: Span,
    },
    /// `...expr`
    Spread(Expr),
    /// A child resource declared in a resource body (`resource subnet 'subnets' = {...}`).
    Resource(Box<Item>),
}

/// An object property key.
#[derive(Clone, Debug)]
pub enum Key {
    /// `name:` — an identifier key (also keywords such as `resource:` used as keys).
    Ident(Ident),
    /// `'name':` — a string key; a key with interpolation is an `Interp` in the parts.
    String(Expr),
}

impl Key {
    pub fn span(&self) -> Span {
        match self {
            Key::Ident(i) => i.span.clone(),
            Key::String(e) => e.span.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    /// `??`
    Coalesce,
    Eq,
    NotEq,
    /// `=~` (case-insensitive)
    EqI,
    /// `!~`
    NotEqI,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// A type as written after `param`, `output`, `type`, in `func` signatures and object types.
#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    /// `string`, `int`, `bool`, `object`, `array`, `myType`, `ns.myType`, `resourceInput<...>`
    /// (generic arguments kept as written text in `args`).
    Name {
        name: String,
        args: Vec<TypeExpr>,
    },
    /// A literal type: `'a'`, `1`, `true`, `-1`.
    Literal(Expr),
    /// `a | b | c`
    Union(Vec<TypeExpr>),
    /// `string[]`
    Array(Box<TypeExpr>),
    /// `{ name: string, 'other-key': int?, *: string }` (`*` is the additional-properties key).
    Object(Vec<TypeProperty>),
    /// `[string, int]`
    Tuple(Vec<TypeExpr>),
    /// `string?`
    Nullable(Box<TypeExpr>),
    /// `resource 'Type@version'` (legacy resource-typed parameters and outputs).
    Resource(StrLit),
    /// `(type)` parenthesised.
    Paren(Box<TypeExpr>),
    /// `typeName.property` / `typeName[*]` / `typeName[0]` type member access.
    Access(Box<TypeExpr>, String),
    Error,
}

#[derive(Clone, Debug)]
pub struct TypeProperty {
    pub decorators: Vec<Decorator>,
    /// The key as written, unquoted; `*` for additional properties.
    pub key: String,
    pub ty: TypeExpr,
    pub span: Span,
}

impl TypeExpr {
    /// `string?` or a union with `null`: a parameter of this type is `null` when not given.
    pub fn is_nullable(&self) -> bool {
        self.is_nullable_through(&|_| None, 0)
    }

    /// [`TypeExpr::is_nullable`], a user-defined type name being nullable when its definition
    /// (`alias`) is (`type endpoints = {...}[]?`), through at most `aliases` names.
    pub fn is_nullable_through<'a>(
        &'a self,
        alias: &dyn Fn(&str) -> Option<&'a TypeExpr>,
        aliases: usize,
    ) -> bool {
        match &self.kind {
            TypeKind::Nullable(_) => true,
            TypeKind::Paren(t) => t.is_nullable_through(alias, aliases),
            TypeKind::Union(members) => members.iter().any(|m| {
                matches!(&m.kind, TypeKind::Literal(e) if matches!(e.kind, ExprKind::Null))
                    || m.is_nullable_through(alias, aliases)
            }),
            TypeKind::Name { name, .. } if aliases > 0 => {
                alias(name).is_some_and(|t| t.is_nullable_through(alias, aliases - 1))
            }
            _ => false,
        }
    }
}

/// A syntax error: where and what. The parser reports each at the token where it stopped (or, for
/// an unterminated string or comment, at its opening) and recovers at the next statement or
/// property.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// The result of parsing a file: always a tree (with `Error` nodes where recovery happened).
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub file: File,
    pub errors: Vec<SyntaxError>,
}
