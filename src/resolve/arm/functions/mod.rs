//! The template functions (reference, section 7.2): one table of the functions acrlint
//! evaluates, sorted by lower-case name, and the dispatch of a call through it. The
//! implementations live in one module per family; a new function is one line in [`TABLE`], its
//! implementation, and a test.
//!
//! A call is evaluated so:
//! - `parameters('x')` and `variables('x')` with a literal name, the commonest calls, read the
//!   value in place;
//! - a function of the table is looked up by its lower-case name. A [`Kind::Lazy`] function gets
//!   its argument expressions and decides what to evaluate (`if`, `and`, lambdas). An
//!   [`Kind::Eager`] function gets the values of its arguments: the first unknown argument makes
//!   the call unknown, and a number of arguments outside its arity is rejected as arguments it
//!   does not accept (see [`Call::reject`]), as are arguments of a type it does not take;
//! - any other name: the arguments are evaluated (the first unknown one makes the call unknown);
//!   a name with a `.` is a user-defined function, a name starting with `list` reads runtime
//!   state, and anything else is a function acrlint does not evaluate.

mod collection;
mod deployment;
mod encoding;
mod helpers;
mod logical;
mod numeric;
mod string;

use super::{eval, Env, Expr, Limits};
use crate::symbolic::{self, Symbolic};
use crate::value::{Unknown, Value};
use helpers::bad;

pub(super) use deployment::constant_member;
pub(crate) use deployment::push_type_name_pairs;
pub(super) use helpers::number_text;

/// Why a call is unknown when its result would pass [`super::MAX_VALUE_LEN`].
pub(super) const TOO_LARGE: &str = "produces a string that is too large";

/// A call being evaluated: what implementations need besides the arguments.
pub(super) struct Call<'a> {
    /// The function name as written (`toLower`, `ns.fn`), for messages and derived terms.
    pub name: &'a str,
    /// The whole call as written, for messages.
    pub text: &'a str,
    /// The expression text the arguments were parsed from.
    pub src: &'a str,
    pub env: &'a dyn Env,
}

impl Call<'_> {
    /// The call is unknown, for `reason`.
    fn bad(&self, reason: impl Into<String>) -> Value {
        bad(self.text, reason)
    }

    /// The call would produce a value larger than one value may be: unknown, and the load
    /// reports the limit.
    fn too_large(&self) -> Value {
        self.env.limits().stop(super::Stop::Size);
        self.bad(TOO_LARGE)
    }

    /// Evaluate an argument expression.
    fn eval(&self, e: &Expr) -> Value {
        eval(e, self.src, self.env)
    }

    /// Arguments the function does not accept (their number or their types): unknown, as
    /// depending on the deployment when one of them does.
    fn reject(&self, values: &[Value]) -> Value {
        if values.iter().any(|v| matches!(v, Value::Symbolic(_))) {
            self.bad("reads a value known only at deployment time")
        } else {
            self.bad(format!(
                "has arguments that '{}' does not accept",
                self.name
            ))
        }
    }
}

type EagerFn = fn(&Call, &[Value]) -> Value;
type LazyFn = fn(&Call, &[Expr]) -> Value;

/// How a function takes its arguments.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// The values of the arguments, all known, their number within the arity.
    Eager(EagerFn),
    /// The argument expressions: the function evaluates what it needs and checks the arguments
    /// itself (the arity is what it accepts, for the record).
    Lazy(LazyFn),
}

/// One function of the table.
pub(super) struct Function {
    /// The name in lower case: the key of the table.
    pub name: &'static str,
    /// The name as documented (`uniqueString`).
    pub display: &'static str,
    /// The least and the most arguments (`None`: any number).
    pub arity: (usize, Option<usize>),
    pub kind: Kind,
    /// False for a function that is recognised (its arguments are checked) but whose result
    /// acrlint does not compute, or that is known only when deployed (`newGuid`); [`names`]
    /// leaves it out.
    pub evaluated: bool,
}

const fn eager(
    name: &'static str,
    display: &'static str,
    arity: (usize, Option<usize>),
    f: EagerFn,
) -> Function {
    Function {
        name,
        display,
        arity,
        kind: Kind::Eager(f),
        evaluated: true,
    }
}

const fn lazy(
    name: &'static str,
    display: &'static str,
    arity: (usize, Option<usize>),
    f: LazyFn,
) -> Function {
    Function {
        name,
        display,
        arity,
        kind: Kind::Lazy(f),
        evaluated: true,
    }
}

const ANY: Option<usize> = None;

/// The functions, sorted by lower-case name (a test checks it).
pub(super) static TABLE: &[Function] = &[
    eager("add", "add", (2, Some(2)), numeric::add),
    lazy("and", "and", (0, ANY), logical::and),
    eager("array", "array", (1, Some(1)), collection::array),
    eager("base64", "base64", (1, Some(1)), encoding::base64),
    eager("bool", "bool", (1, Some(1)), logical::bool),
    lazy("coalesce", "coalesce", (0, ANY), logical::coalesce),
    eager("concat", "concat", (0, ANY), collection::concat),
    eager("contains", "contains", (2, Some(2)), collection::contains),
    eager("copyindex", "copyIndex", (0, ANY), deployment::copy_index),
    lazy(
        "createarray",
        "createArray",
        (0, ANY),
        collection::create_array,
    ),
    lazy(
        "createobject",
        "createObject",
        (0, ANY),
        collection::create_object,
    ),
    eager(
        "deployment",
        "deployment",
        (0, Some(0)),
        deployment::deployment,
    ),
    eager("div", "div", (2, Some(2)), numeric::div),
    eager("empty", "empty", (1, Some(1)), collection::empty),
    eager("endswith", "endsWith", (2, Some(2)), string::ends_with),
    eager(
        "environment",
        "environment",
        (0, Some(0)),
        deployment::environment,
    ),
    eager("equals", "equals", (2, Some(2)), logical::equals),
    eager(
        "extensionresourceid",
        "extensionResourceId",
        (0, ANY),
        deployment::extension_resource_id,
    ),
    eager("false", "false", (0, Some(0)), logical::false_),
    lazy("filter", "filter", (2, ANY), collection::filter),
    eager("first", "first", (1, Some(1)), collection::first),
    eager("flatten", "flatten", (1, Some(1)), collection::flatten),
    eager("float", "float", (1, Some(1)), encoding::float),
    eager("format", "format", (1, ANY), string::format),
    eager("greater", "greater", (2, Some(2)), logical::greater),
    eager(
        "greaterorequals",
        "greaterOrEquals",
        (2, Some(2)),
        logical::greater_or_equals,
    ),
    eager("guid", "guid", (0, ANY), deployment::guid),
    lazy("if", "if", (3, Some(3)), logical::if_),
    eager(
        "indexfromend",
        "indexFromEnd",
        (2, Some(2)),
        collection::index_from_end,
    ),
    eager("indexof", "indexOf", (2, Some(2)), collection::index_of),
    eager("int", "int", (1, Some(1)), encoding::int),
    eager(
        "intersection",
        "intersection",
        (0, ANY),
        collection::intersection,
    ),
    eager("items", "items", (1, Some(1)), collection::items),
    eager("join", "join", (2, Some(2)), string::join),
    eager("json", "json", (1, Some(1)), encoding::json),
    eager(
        "lambdavariables",
        "lambdaVariables",
        (1, Some(1)),
        collection::lambda_variables,
    ),
    eager("last", "last", (1, Some(1)), collection::last),
    eager(
        "lastindexof",
        "lastIndexOf",
        (2, Some(2)),
        collection::last_index_of,
    ),
    eager("length", "length", (1, Some(1)), collection::length),
    eager("less", "less", (2, Some(2)), logical::less),
    eager(
        "lessorequals",
        "lessOrEquals",
        (2, Some(2)),
        logical::less_or_equals,
    ),
    eager(
        "managementgroup",
        "managementGroup",
        (0, ANY),
        deployment::management_group,
    ),
    eager(
        "managementgroupresourceid",
        "managementGroupResourceId",
        (0, ANY),
        deployment::management_group_resource_id,
    ),
    lazy("map", "map", (2, ANY), collection::map),
    eager("max", "max", (0, ANY), numeric::max),
    eager("min", "min", (0, ANY), numeric::min),
    eager("mod", "mod", (2, Some(2)), numeric::mod_),
    eager("mul", "mul", (2, Some(2)), numeric::mul),
    Function {
        evaluated: false,
        ..eager("newguid", "newGuid", (0, ANY), deployment::new_guid)
    },
    eager("not", "not", (1, Some(1)), logical::not),
    eager("null", "null", (0, Some(0)), collection::null),
    eager(
        "objectkeys",
        "objectKeys",
        (1, Some(1)),
        collection::object_keys,
    ),
    lazy("or", "or", (0, ANY), logical::or),
    eager("padleft", "padLeft", (2, ANY), string::pad_left),
    eager(
        "parameters",
        "parameters",
        (1, Some(1)),
        deployment::parameters,
    ),
    Function {
        evaluated: false,
        ..eager("pickzones", "pickZones", (0, ANY), deployment::pick_zones)
    },
    eager("range", "range", (2, Some(2)), collection::range),
    lazy("reduce", "reduce", (3, ANY), collection::reduce),
    eager("reference", "reference", (1, ANY), deployment::reference),
    eager("references", "references", (0, ANY), deployment::references),
    eager("replace", "replace", (3, Some(3)), string::replace),
    eager(
        "resourcegroup",
        "resourceGroup",
        (0, ANY),
        deployment::resource_group,
    ),
    eager(
        "resourceid",
        "resourceId",
        (0, ANY),
        deployment::resource_id,
    ),
    eager(
        "shallowmerge",
        "shallowMerge",
        (1, Some(1)),
        collection::shallow_merge,
    ),
    eager("skip", "skip", (2, Some(2)), collection::skip),
    Function {
        evaluated: false,
        ..lazy("sort", "sort", (2, Some(2)), collection::sort)
    },
    eager("split", "split", (2, Some(2)), string::split),
    eager(
        "startswith",
        "startsWith",
        (2, Some(2)),
        string::starts_with,
    ),
    eager("string", "string", (1, Some(1)), encoding::string),
    eager("sub", "sub", (2, Some(2)), numeric::sub),
    eager(
        "subscription",
        "subscription",
        (0, ANY),
        deployment::subscription,
    ),
    eager(
        "subscriptionresourceid",
        "subscriptionResourceId",
        (0, ANY),
        deployment::subscription_resource_id,
    ),
    eager("substring", "substring", (1, ANY), string::substring),
    eager("take", "take", (2, Some(2)), collection::take),
    eager("tenant", "tenant", (0, ANY), deployment::tenant),
    eager(
        "tenantresourceid",
        "tenantResourceId",
        (0, ANY),
        deployment::tenant_resource_id,
    ),
    eager("tolower", "toLower", (1, Some(1)), string::to_lower),
    lazy("toobject", "toObject", (2, ANY), collection::to_object),
    eager("toupper", "toUpper", (1, Some(1)), string::to_upper),
    eager("trim", "trim", (1, Some(1)), string::trim),
    eager("true", "true", (0, Some(0)), logical::true_),
    eager("tryget", "tryGet", (1, ANY), collection::try_get),
    eager(
        "tryindexfromend",
        "tryIndexFromEnd",
        (2, Some(2)),
        collection::try_index_from_end,
    ),
    eager("union", "union", (0, ANY), collection::union),
    eager(
        "uniquestring",
        "uniqueString",
        (0, ANY),
        deployment::unique_string,
    ),
    eager("utcnow", "utcNow", (0, Some(1)), deployment::utc_now),
    eager(
        "variables",
        "variables",
        (1, Some(1)),
        deployment::variables,
    ),
];

/// The function of this lower-case name.
fn lookup(lower: &str) -> Option<&'static Function> {
    TABLE
        .binary_search_by(|f| f.name.cmp(lower))
        .ok()
        .map(|i| &TABLE[i])
}

/// The functions acrlint evaluates, as documented (`uniqueString`), in alphabetical order. Also
/// recognised: user-defined functions (`ns.fn`), whose definitions are evaluated, and the
/// `list*` functions (`listKeys`, ...), whose results are known only at deployment time.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter(|f| f.evaluated).map(|f| f.display)
}

/// Evaluate every argument; the first unknown one makes the call unknown, except an unknown
/// input with an identity (a template parameter nobody gave): it stands in as its identity, a
/// symbolic term, and is returned, so that the call's text result can become the identity of the
/// unknown result ([`as_input`]).
/// With `last_input`, the last such input is the one returned (see [`names_last`]). With
/// `every_unknown`, any unknown stands in, as its identity or else as the term of what it depends
/// on, and the first without identity is the one returned (see [`of_unlinked_type`]).
fn eval_args(
    args: &[Expr],
    src: &str,
    env: &dyn Env,
    last_input: bool,
    every_unknown: bool,
) -> Result<(Vec<Value>, Option<Unknown>), Value> {
    let mut out = Vec::with_capacity(args.len());
    let mut input = None;
    let mut plain = None;
    for a in args {
        match eval(a, src, env) {
            Value::Unknown(u) => match u.identity.as_deref().map(Symbolic::from_encoded) {
                Some(Ok(stand_in)) => {
                    out.push(Value::Symbolic(stand_in));
                    if input.is_none() || last_input {
                        input = Some(u);
                    }
                }
                _ if every_unknown => {
                    out.push(Value::Symbolic(Symbolic::term(&u.depends_on)));
                    plain.get_or_insert(u);
                }
                _ => return Err(Value::Unknown(u)),
            },
            v => out.push(v),
        }
    }
    Ok((out, plain.or(input)))
}

/// Whether a resource id is of a written type that no rule links by id (a storage account's, a
/// key vault's): when its name, or scope, is unknown, the id stands with each unknown part a
/// term as its identity, which says its type, so that an endpoint that targets it is known not
/// to target a registry, whatever the name. The identity may be shared by two such resources;
/// nothing is linked by it. The ids of registries, zones, networks and endpoints stay plainly
/// unknown: two of them must not be taken for one.
fn of_unlinked_type(args: &[Expr]) -> bool {
    const LINKED: [&str; 4] = [
        "Microsoft.ContainerRegistry/",
        "Microsoft.Network/privateDnsZones",
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Network/virtualNetworks",
    ];
    let rtype = args.iter().find_map(|a| match a {
        Expr::Str(t) if t.contains('/') => Some(t),
        _ => None,
    });
    rtype.is_some_and(|t| {
        !LINKED.iter().any(|ns| {
            t.get(..ns.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(ns))
        })
    })
}

/// Whether a resource id's unknown names (which say which resource) are what it depends on
/// rather than its scope: when its type is written, they come last. When no argument is a
/// written type, the unknown one may be the type, which decides more (is it a registry?).
fn names_last(args: &[Expr]) -> bool {
    args.iter()
        .any(|a| matches!(a, Expr::Str(s) if s.contains('/')))
}

/// Whether a call's result holds whatever value the unknown input it read turns out to be:
/// - text with characters written in it is not empty
///   (`empty(format('/subscriptions/{0}/...', parameters('hub')))`);
/// - `reference()` found what the id names: the deployment or VNet this template declares under
///   that id, whatever the input in it is (a resource group given by a parameter).
fn stands_for_any_input(lower: &str, values: &[Value], result: &Value) -> bool {
    match lower {
        "empty" => {
            matches!(values, [Value::Symbolic(t)] if symbolic::has_literal(t.encoded()))
        }
        "reference" => !matches!(result, Value::Unknown(_)),
        _ => false,
    }
}

/// The result of a call that read the unknown `input`: unknown, because of `input`, and when
/// the call made text of it (`resourceId(..., parameters('zone'))`), with that text as its
/// identity: another call that makes the same text of the same input has the same value.
/// A result unknown with an identity of its own (a comparison of the input) keeps it.
fn as_input(input: Unknown, result: Value) -> Value {
    let identity = match result {
        Value::Symbolic(s) => Some(s.encoded().into()),
        Value::Unknown(Unknown { identity, .. }) => identity,
        _ => None,
    };
    Value::Unknown(Unknown { identity, ..input })
}

pub(super) fn call(name: &str, args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    super::with_ascii_lower(name, |lower| call_lower(name, lower, args, text, src, env))
}

/// `call` with the function name also in lower case.
fn call_lower(
    name: &str,
    lower: &str,
    args: &[Expr],
    text: &str,
    src: &str,
    env: &dyn Env,
) -> Value {
    // `parameters('x')` and `variables('x')`, the commonest calls: read the name in place
    // (with the step the literal's evaluation would take).
    if let [Expr::Str(n)] = args {
        let parameter = lower == "parameters";
        if parameter || lower == "variables" {
            let Some(_guard) = env.limits().enter() else {
                return Value::Unknown(Limits::exhausted());
            };
            return if parameter {
                env.parameter(n)
            } else {
                env.variable(n)
            };
        }
    }
    let call = Call {
        name,
        text,
        src,
        env,
    };
    match lookup(lower) {
        Some(f) => match f.kind {
            Kind::Lazy(imp) => imp(&call, args),
            Kind::Eager(imp) => {
                let names = lower.ends_with("resourceid") && names_last(args);
                let unlinked = names && of_unlinked_type(args);
                let (values, input) = match eval_args(args, src, env, names, unlinked) {
                    Ok(v) => v,
                    Err(u) => return u,
                };
                let (min, max) = f.arity;
                let result = if values.len() < min || max.is_some_and(|max| values.len() > max) {
                    call.reject(&values)
                } else {
                    imp(&call, &values)
                };
                // Every element a function produces is a step, as every expression evaluated is.
                if let Value::List(items) = &result {
                    if !env.limits().charge(items.len()) {
                        return Value::Unknown(Limits::exhausted());
                    }
                }
                match input {
                    Some(_) if stands_for_any_input(lower, &values, &result) => result,
                    Some(input) => as_input(input, result),
                    None => result,
                }
            }
        },
        None => not_in_table(&call, lower, args),
    }
}

/// A call of a function that is not in the table.
fn not_in_table(call: &Call, lower: &str, args: &[Expr]) -> Value {
    let values = match eval_args(args, call.src, call.env, false, false) {
        Ok((_, Some(input))) => {
            return Value::Unknown(Unknown {
                identity: None,
                ..input
            })
        }
        Ok((values, None)) => values,
        Err(u) => return u,
    };
    let name = call.name;
    // What the Bicep lowering could not express (`bicep.unknown('a method call', 'why')`).
    if let ("bicep.unknown", [Value::String(what), Value::String(why)]) = (lower, values.as_slice())
    {
        return Value::Unknown(Unknown::new(what.as_str(), why.as_str()));
    }
    if lower.contains('.') {
        return call
            .env
            .call_user_function(name, values)
            .unwrap_or_else(|| {
                call.bad(format!(
                    "calls '{name}', which the template does not define"
                ))
            });
    }
    if lower.starts_with("list") {
        return deployment::list(call);
    }
    if values.iter().any(|v| matches!(v, Value::Symbolic(_))) {
        return call.bad("reads a value known only at deployment time");
    }
    call.bad(format!("uses '{name}', which acrlint does not evaluate"))
}
