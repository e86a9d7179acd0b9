//! Terraform's built-in functions that static analysis can evaluate, one file per family (as
//! Terraform's documentation groups them), behind one table of name → arity → implementation.
//! Any other function gives an unknown naming it.
//!
//! A new function is one row in [`TABLE`] (kept sorted; a unit test checks) and its
//! implementation in its family's file. `try` and `can` are not in the table: they evaluate their
//! arguments themselves, so the evaluator answers them (see [`LAZY`]).

mod collection;
mod conversion;
mod crypto;
mod encoding;
mod filesystem;
mod network;
mod numeric;
mod string;
mod yaml;

pub(super) use collection::set_key;

#[cfg(doc)]
use super::coerce::value_bytes;
use super::coerce::{budget_message, shallow_unknown, size_message, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Unknown, Value};
use compact_str::CompactString;

/// YAML text as a value, the subset Terraform's `yamldecode` reads (also what Bicep's
/// `loadYamlContent` gives a template), within the step budget of one scope.
pub fn decode_yaml(text: &str) -> Result<Value, String> {
    let mut limits = Limits::new(crate::limits::current().steps);
    let arg = [Node::new(Value::String(text.into()), None)];
    yaml::yamldecode(&arg, None, &mut limits).map_err(|h| match h {
        Halt::Err(message) => message,
        Halt::Unknown(u) => u.reason,
    })
}

/// An implementation: the arguments (their number already checked against the entry's arity),
/// the span of the call (for the values it builds) and the scope's work limits.
type Imp = fn(&[Node], Option<Span>, &mut Limits) -> Fx<Value>;

struct Entry {
    name: &'static str,
    /// The fewest and the most arguments; `None`: any number.
    arity: (usize, Option<usize>),
    f: Imp,
}

const fn exact(name: &'static str, n: usize, f: Imp) -> Entry {
    Entry {
        name,
        arity: (n, Some(n)),
        f,
    }
}

const fn between(name: &'static str, min: usize, max: usize, f: Imp) -> Entry {
    Entry {
        name,
        arity: (min, Some(max)),
        f,
    }
}

const fn at_least(name: &'static str, min: usize, f: Imp) -> Entry {
    Entry {
        name,
        arity: (min, None),
        f,
    }
}

/// Every function evaluated here, sorted by name (the lookup index [`FIRST`] relies on it).
static TABLE: &[Entry] = &[
    exact("abs", 1, numeric::abs),
    exact("alltrue", 1, collection::alltrue),
    exact("anytrue", 1, collection::anytrue),
    exact("base64decode", 1, encoding::base64decode),
    exact("base64encode", 1, encoding::base64encode),
    exact("base64sha256", 1, crypto::base64sha256),
    exact("base64sha512", 1, crypto::base64sha512),
    exact("basename", 1, filesystem::basename),
    exact("ceil", 1, numeric::ceil),
    exact("chomp", 1, string::chomp),
    exact("chunklist", 2, collection::chunklist),
    exact("cidrhost", 2, network::cidrhost),
    exact("cidrnetmask", 1, network::cidrnetmask),
    exact("cidrsubnet", 3, network::cidrsubnet),
    at_least("cidrsubnets", 1, network::cidrsubnets),
    at_least("coalesce", 0, collection::coalesce),
    at_least("coalescelist", 0, collection::coalescelist),
    exact("compact", 1, collection::compact),
    at_least("concat", 0, collection::concat),
    exact("contains", 2, collection::contains),
    exact("dirname", 1, filesystem::dirname),
    exact("distinct", 1, collection::distinct),
    exact("element", 2, collection::element),
    exact("endswith", 2, string::endswith),
    exact("flatten", 1, collection::flatten),
    exact("floor", 1, numeric::floor),
    at_least("format", 1, string::format),
    at_least("formatlist", 1, string::formatlist),
    exact("index", 2, collection::index),
    at_least("join", 2, string::join),
    exact("jsondecode", 1, encoding::jsondecode),
    exact("jsonencode", 1, encoding::jsonencode),
    exact("keys", 1, collection::keys),
    exact("length", 1, collection::length),
    between("lookup", 2, 3, collection::lookup),
    exact("lower", 1, string::lower),
    at_least("max", 1, numeric::max),
    exact("md5", 1, crypto::md5),
    at_least("merge", 0, collection::merge),
    at_least("min", 1, numeric::min),
    exact("nonsensitive", 1, conversion::nonsensitive),
    exact("one", 1, collection::one),
    exact("parseint", 2, numeric::parseint),
    exact("pow", 2, numeric::pow),
    between("range", 1, 3, collection::range),
    exact("regex", 2, string::regex),
    exact("regexall", 2, string::regexall),
    exact("replace", 3, string::replace),
    exact("reverse", 1, collection::reverse),
    exact("sensitive", 1, conversion::sensitive),
    at_least("setintersection", 1, collection::setintersection),
    at_least("setproduct", 2, collection::setproduct),
    at_least("setsubtract", 1, collection::setsubtract),
    at_least("setunion", 1, collection::setunion),
    exact("sha1", 1, crypto::sha1),
    exact("sha256", 1, crypto::sha256),
    exact("sha512", 1, crypto::sha512),
    exact("signum", 1, numeric::signum),
    exact("slice", 3, collection::slice),
    exact("sort", 1, collection::sort),
    exact("split", 2, string::split),
    exact("startswith", 2, string::startswith),
    exact("strcontains", 2, string::strcontains),
    exact("strrev", 1, string::strrev),
    exact("substr", 3, string::substr),
    exact("sum", 1, collection::sum),
    exact("title", 1, string::title),
    exact("tobool", 1, conversion::tobool),
    exact("tolist", 1, conversion::tolist),
    exact("tomap", 1, conversion::tomap),
    exact("tonumber", 1, conversion::tonumber),
    exact("toset", 1, conversion::toset),
    exact("tostring", 1, conversion::tostring),
    exact("trim", 2, string::trim),
    exact("trimprefix", 2, string::trimprefix),
    exact("trimspace", 1, string::trimspace),
    exact("trimsuffix", 2, string::trimsuffix),
    exact("upper", 1, string::upper),
    exact("urlencode", 1, encoding::urlencode),
    exact("uuidv5", 2, crypto::uuidv5),
    exact("values", 1, collection::values),
    exact("yamldecode", 1, yaml::yamldecode),
    exact("zipmap", 2, collection::zipmap),
];

/// Where the names with each first letter start in [`TABLE`]: those starting with `b'a' + i`
/// are `TABLE[FIRST[i]..FIRST[i + 1]]`. A lookup compares the name with the few entries of its
/// letter (at most a dozen, nearly all rejected by their length), which is as fast as the `match`
/// it replaces; a binary search over the whole table, comparing strings, measured 5-10 times
/// slower.
static FIRST: [u8; 27] = first_letter_index();

const fn first_letter_index() -> [u8; 27] {
    assert!(TABLE.len() < u8::MAX as usize);
    let mut out = [0u8; 27];
    let mut i = 0;
    let mut letter = 0;
    while letter < 26 {
        out[letter] = i as u8;
        while i < TABLE.len() && TABLE[i].name.as_bytes()[0] <= b'a' + letter as u8 {
            assert!(TABLE[i].name.as_bytes()[0].is_ascii_lowercase());
            i += 1;
        }
        letter += 1;
    }
    assert!(i == TABLE.len());
    out[26] = i as u8;
    out
}

fn lookup(name: &str) -> Option<&'static Entry> {
    let letter = usize::from(name.as_bytes().first()?.wrapping_sub(b'a'));
    let (start, end) = (*FIRST.get(letter)?, *FIRST.get(letter + 1)?);
    TABLE[usize::from(start)..usize::from(end)]
        .iter()
        .find(|e| e.name == name)
}

/// Functions the evaluator answers itself, because they evaluate their own arguments (an error
/// in an argument is what they test for).
pub(super) const LAZY: [&str; 2] = ["can", "try"];

/// Functions that read the disk, which the evaluator answers through its resolver.
pub(super) const FROM_DISK: [&str; 2] = ["file", "fileexists"];

/// Functions whose result is not static (time, randomness): an unknown that says so, whatever
/// the arguments.
const VOLATILE: [&str; 4] = ["bcrypt", "plantimestamp", "timestamp", "uuid"];

/// The names of the functions acrlint evaluates, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    let mut all: Vec<&'static str> = TABLE
        .iter()
        .map(|e| e.name)
        .chain(LAZY)
        .chain(FROM_DISK)
        .collect();
    all.sort_unstable();
    all.into_iter()
}

/// Call the function `name`. A name that is not in the table (another function, or a provider's
/// `provider::p::f`) gives an unknown naming the call.
pub(super) fn call(name: &str, args: &[Node], span: Span, lim: &mut Limits) -> Fx<Value> {
    let Some(entry) = lookup(name) else {
        return Err(Halt::Unknown(if VOLATILE.contains(&name) {
            Unknown::new(format!("{name}()"), "changes on every run")
        } else {
            Unknown::new(
                format!("{name}(...)"),
                "uses a function that acrlint does not evaluate",
            )
        }));
    };
    let (min, max) = entry.arity;
    if args.len() < min || max.is_some_and(|max| args.len() > max) {
        return Err(Halt::Err(format!(
            "wrong number of arguments ({} given)",
            args.len()
        )));
    }
    (entry.f)(args, Some(span), lim)
}

// ---- helpers shared by the families ----

fn str_node(s: CompactString, span: Option<Span>) -> Node {
    Node::new(Value::String(s), span)
}

fn charge(lim: &mut Limits, n: usize) -> Fx<()> {
    if lim.charge(n as u64) {
        Ok(())
    } else {
        Err(Halt::Err(budget_message()))
    }
}

/// Bytes a list or object element takes besides its strings (as [`value_bytes`] counts it).
const NODE: u64 = std::mem::size_of::<Node>() as u64;

/// Would a value of `n` bytes fit in what the byte budget has left? Asked before building it.
fn fits(lim: &mut Limits, n: u64) -> Fx<()> {
    if lim.fits(n) {
        Ok(())
    } else {
        Err(Halt::Err(size_message()))
    }
}

fn not_a(what: &str, v: &Value) -> Halt {
    shallow_unknown(v).map_or_else(
        || Halt::Err(format!("expected a {what}, found a {}", v.type_name())),
        Halt::Unknown,
    )
}

fn list(v: &Value) -> Fx<&[Node]> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(not_a("list", other)),
    }
}

fn object(v: &Value) -> Fx<&[(CompactString, Node)]> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(not_a("map", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_unique() {
        for pair in TABLE.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} must sort before {}",
                pair[0].name,
                pair[1].name
            );
        }
        for name in LAZY.iter().chain(&VOLATILE).chain(&FROM_DISK) {
            assert!(lookup(name).is_none(), "{name} is in the table");
        }
        let names: Vec<_> = names().collect();
        assert!(names.windows(2).all(|p| p[0] < p[1]));
        assert_eq!(names.len(), TABLE.len() + LAZY.len() + FROM_DISK.len());
    }

    /// Each name reaches its entry: a wrong number of arguments is an arity error, and a right
    /// number is not an unknown function.
    #[test]
    fn every_name_dispatches() {
        let span = Span::new(crate::source::FileId(0), 0..0);
        let nulls = |n: usize| vec![Node::new(Value::Null, None); n];
        for e in TABLE {
            let (min, max) = e.arity;
            let mut lim = Limits::new(1000);
            let right = call(e.name, &nulls(min), span, &mut lim);
            assert!(
                !matches!(right, Err(Halt::Unknown(_))),
                "{}: {right:?}",
                e.name
            );
            let wrong = min.checked_sub(1).into_iter().chain(max.map(|m| m + 1));
            for n in wrong {
                match call(e.name, &nulls(n), span, &mut lim) {
                    Err(Halt::Err(m)) => {
                        assert_eq!(m, format!("wrong number of arguments ({n} given)"))
                    }
                    other => panic!("{} with {n} arguments: {other:?}", e.name),
                }
            }
        }
        let mut lim = Limits::new(1000);
        for name in ["nosuchfunction", "provider::azurerm::parse_resource_id"] {
            match call(name, &[], span, &mut lim) {
                Err(Halt::Unknown(u)) => {
                    assert_eq!(u.depends_on, format!("{name}(...)"));
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        for name in VOLATILE {
            match call(name, &nulls(1), span, &mut lim) {
                Err(Halt::Unknown(u)) => assert_eq!(u.reason, "changes on every run"),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}
