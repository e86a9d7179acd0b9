//! String functions: `format`, case, trimming, replacing, splitting and joining, `substring`,
//! `padLeft`, prefix and suffix tests.

use super::helpers::{as_int, bad, derived, display, display_into, node, number_text, s};
use super::{Call, TOO_LARGE};
use crate::resolve::arm::MAX_VALUE_LEN;
use crate::value::Value;

pub(super) fn format(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(f), rest @ ..] => match dotnet_format(f, rest) {
            Ok(out) => s(out),
            Err(e) if e == TOO_LARGE => c.too_large(),
            Err(e) => c.bad(e),
        },
        _ => c.reject(v),
    }
}

pub(super) fn to_lower(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x)] => s(x.to_lowercase()),
        // Hashes and GUIDs are lower case already; any other term becomes the call.
        [Value::Symbolic(x)] if x.terms_lower_case() => Value::Symbolic(x.literal_lower()),
        [Value::Symbolic(x)] => derived(c.name, x, &[]),
        _ => c.reject(v),
    }
}

pub(super) fn to_upper(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x)] => s(x.to_uppercase()),
        [Value::Symbolic(x)] => derived(c.name, x, &[]),
        _ => c.reject(v),
    }
}

pub(super) fn trim(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::Symbolic(x)] => derived(c.name, x, &[]),
        [Value::String(x)] => s(x.trim()),
        _ => c.reject(v),
    }
}

pub(super) fn replace(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x), Value::String(old), Value::String(new)] => {
            if old.is_empty() {
                return s(x.clone());
            }
            // The length of the result, checked before it is built.
            let found = x.matches(old.as_str()).count();
            let len = (x.len() - found * old.len()).saturating_add(found.saturating_mul(new.len()));
            if len > MAX_VALUE_LEN || !c.env.limits().fits(len as u64) {
                return c.too_large();
            }
            s(x.replace(old.as_str(), new))
        }
        // Hashes hold only letters and digits: other characters are replaced where they are
        // written (`replace('cr-{uniqueString(...)}', '-', '')`, as registry names are built).
        [Value::Symbolic(x), Value::String(old), Value::String(new)]
            if x.terms_alphanumeric()
                && !old.is_empty()
                && !old.chars().any(|c| c.is_ascii_alphanumeric()) =>
        {
            s(x.map_literals(|run| run.replace(old.as_str(), new)))
        }
        // Another term's deployed text may hold `old` too: the whole replacement is the term
        // (naming conventions replace a token in a name built from the deployment's region).
        [Value::Symbolic(x), Value::String(old), Value::String(new)] => {
            derived(c.name, x, &[format!("'{old}'"), format!("'{new}'")])
        }
        _ => c.reject(v),
    }
}

pub(super) fn split(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x), sep] => split_text(x, sep, c.text),
        // An input nobody gave may hold any delimiter (a VNet id passed whole, split for its
        // resource group and name): its parts are terms of the split, the same wherever the
        // same input is split the same way.
        [Value::Symbolic(x), Value::String(d)] if x.reads_input() => {
            derived(c.name, x, &[crate::resolve::arm::literal(d)])
        }
        // An id or path built from the deployment splits on its `/`s: a term never holds one
        // (its expression's own `/` is encoded), so a delimiter with a `/` matches only in the
        // literal text, and each part keeps its terms (`last(split(vnetId, '/'))`). The deployed
        // text of a term is a name, not a path, so it completes no such delimiter either.
        [Value::Symbolic(x), sep] if delimiters_have_slash(sep) => {
            split_text(x.encoded(), sep, c.text)
        }
        _ => c.reject(v),
    }
}

pub(super) fn join(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::List(items), Value::String(sep)] => {
            let parts: Option<Vec<String>> = items.iter().map(|n| display(&n.value)).collect();
            match parts {
                Some(p) => s(p.join(sep)),
                None => c.bad("joins an array with unknown elements"),
            }
        }
        _ => c.reject(v),
    }
}

pub(super) fn substring(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x), rest @ ..] => substring_text(x, rest, c.text),
        [Value::Symbolic(x), rest @ ..] => {
            // A bound may be a deployment-time number (`min(length(x), 24)`).
            let bound = |v: &Value| match v {
                Value::Symbolic(_) => super::helpers::argument_text(v),
                v => as_int(v).map(|n| n.to_string()),
            };
            let rest: Option<Vec<String>> = rest.iter().map(bound).collect();
            match rest {
                Some(rest) => derived(c.name, x, &rest),
                None => c.bad("has a start or length that is not an integer"),
            }
        }
        _ => c.reject(v),
    }
}

pub(super) fn pad_left(c: &Call, v: &[Value]) -> Value {
    match v {
        [x, width, rest @ ..] => pad_text(x, width, rest, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn starts_with(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(a), Value::String(b)] => text_test(a, b, |a, b| a.starts_with(b)),
        _ => c.reject(v),
    }
}

pub(super) fn ends_with(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(a), Value::String(b)] => text_test(a, b, |a, b| a.ends_with(b)),
        _ => c.reject(v),
    }
}

/// .NET composite formatting: `{index[,alignment][:format]}`, with `{{` and `}}` escapes.
fn dotnet_format(fmt: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::with_capacity(fmt.len() + 32);
    let mut rest = fmt;
    // Braces are ASCII, so every cut below is at a character boundary.
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        if out.len() > MAX_VALUE_LEN {
            return Err(TOO_LARGE.into());
        }
        let brace = &rest[i..i + 1];
        let after = &rest[i + 1..];
        if after.starts_with(brace) {
            out.push_str(brace);
            rest = &after[1..];
        } else if brace == "}" {
            return Err("has a '}' without a matching '{' in the format string".into());
        } else {
            let Some(end) = after.find('}') else {
                return Err("has an unclosed '{' in the format string".into());
            };
            let item = &after[..end];
            rest = &after[end + 1..];
            format_item(&mut out, item, args)?;
        }
        if out.len() > MAX_VALUE_LEN {
            return Err(TOO_LARGE.into());
        }
    }
    out.push_str(rest);
    if out.len() > MAX_VALUE_LEN {
        return Err(TOO_LARGE.into());
    }
    Ok(out)
}

/// One `{index[,alignment][:format]}` item (without its braces), appended to `out`.
fn format_item(out: &mut String, item: &str, args: &[Value]) -> Result<(), String> {
    let (head, spec) = match item.split_once(':') {
        Some((h, f)) => (h, Some(f)),
        None => (item, None),
    };
    let (index, align) = match head.split_once(',') {
        Some((i, a)) => (i, Some(a)),
        None => (head, None),
    };
    let index: usize = index
        .trim()
        .parse()
        .map_err(|_| format!("has an invalid format item '{{{item}}}'"))?;
    let arg = args
        .get(index)
        .ok_or_else(|| format!("refers to argument {index}, which is missing"))?;
    match (spec, align) {
        (None, None) => display_into(out, arg).ok_or("has an unknown argument")?,
        _ => {
            let mut text = match spec {
                Some(spec) => format_spec(arg, spec)?,
                None => display(arg).ok_or("has an unknown argument")?,
            };
            if let Some(a) = align {
                let width: i64 = a.trim().parse().map_err(|_| "has an invalid alignment")?;
                let len = text.chars().count() as u64;
                if width.unsigned_abs() > len {
                    // Checked before the padding is built: a width is any 64-bit number.
                    let pad = width.unsigned_abs() - len;
                    if pad.saturating_add(out.len() as u64) > MAX_VALUE_LEN as u64 {
                        return Err(TOO_LARGE.into());
                    }
                    let pad = " ".repeat(pad as usize);
                    text = if width > 0 { pad + &text } else { text + &pad };
                }
            }
            out.push_str(&text);
        }
    }
    Ok(())
}

/// Longest `0`-padding pattern evaluated.
const MAX_PATTERN: usize = 1024;

/// The numeric format strings templates use: `D`, `N`, `F`, `X`, and `0`-padding patterns.
fn format_spec(arg: &Value, spec: &str) -> Result<String, String> {
    let Value::Number(n) = arg else {
        return display(arg).ok_or_else(|| "has an unknown argument".to_string());
    };
    let n = *n;
    let mut chars = spec.chars();
    let kind = chars.next().unwrap_or('G');
    let precision: Option<usize> = chars.as_str().parse().ok().filter(|p| *p <= 100);
    let unsupported = || format!("uses the format '{spec}', which acrlint does not evaluate");
    if spec.chars().all(|c| c == '0') && !spec.is_empty() {
        // Rust's formatting takes widths up to 65,535 only; .NET's patterns are far shorter.
        if spec.len() > MAX_PATTERN {
            return Err(unsupported());
        }
        return Ok(format!("{:0width$}", n.round() as i64, width = spec.len()));
    }
    match kind.to_ascii_uppercase() {
        'D' if n.fract() == 0.0 => Ok(format!(
            "{:0width$}",
            n as i64,
            width = precision.unwrap_or(0)
        )),
        'X' if n.fract() == 0.0 && n >= 0.0 => {
            let hex = format!("{:0width$x}", n as i64, width = precision.unwrap_or(0));
            Ok(if kind == 'X' { hex.to_uppercase() } else { hex })
        }
        'F' => Ok(format!("{:.p$}", n, p = precision.unwrap_or(2))),
        'N' => {
            let fixed = format!("{:.p$}", n.abs(), p = precision.unwrap_or(2));
            let (int_part, frac) = match fixed.split_once('.') {
                Some((i, f)) => (i.to_string(), Some(f.to_string())),
                None => (fixed, None),
            };
            let mut grouped = String::new();
            for (i, ch) in int_part.chars().enumerate() {
                if i > 0 && (int_part.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let sign = if n < 0.0 { "-" } else { "" };
            Ok(match frac {
                Some(f) => format!("{sign}{grouped}.{f}"),
                None => format!("{sign}{grouped}"),
            })
        }
        'G' if spec.len() == 1 => Ok(number_text(n)),
        _ => Err(unsupported()),
    }
}

fn delimiters_have_slash(sep: &Value) -> bool {
    match sep {
        Value::String(d) => d.contains('/'),
        Value::List(items) => items
            .iter()
            .all(|n| n.value.as_str().is_some_and(|d| d.contains('/'))),
        _ => false,
    }
}

fn split_text(x: &str, sep: &Value, text: &str) -> Value {
    let seps: Vec<String> = match sep {
        Value::String(d) => vec![d.to_string()],
        Value::List(items) => match items
            .iter()
            .map(|n| n.value.as_str().map(str::to_string))
            .collect()
        {
            Some(v) => v,
            None => return bad(text, "has delimiters that are not all strings"),
        },
        _ => return bad(text, "has a delimiter that is not a string"),
    };
    let seps: Vec<&String> = seps.iter().filter(|d| !d.is_empty()).collect();
    let mut parts = Vec::new();
    let mut rest = x;
    loop {
        let next = seps
            .iter()
            .filter_map(|d| rest.find(d.as_str()).map(|i| (i, d.len())))
            .min();
        match next {
            Some((i, len)) => {
                parts.push(node(s(&rest[..i])));
                rest = &rest[i + len..];
            }
            None => {
                parts.push(node(s(rest)));
                break;
            }
        }
    }
    Value::List(parts)
}

/// Character-based `substring(s, start, [length])`.
fn substring_text(x: &str, rest: &[Value], text: &str) -> Value {
    let chars: Vec<char> = x.chars().collect();
    let start = match rest.first().map(as_int) {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => return bad(text, "has a start that is not an integer"),
    };
    let len = match rest.get(1).map(as_int) {
        None => chars.len() as i64 - start,
        Some(Some(n)) => n,
        Some(None) => return bad(text, "has a length that is not an integer"),
    };
    if start < 0 || len < 0 || start + len > chars.len() as i64 {
        return bad(text, "is out of range of the string");
    }
    s(chars[start as usize..(start + len) as usize]
        .iter()
        .collect::<String>())
}

fn pad_text(v: &Value, width: &Value, rest: &[Value], text: &str) -> Value {
    let Some(x) = display(v) else {
        return bad(text, "has an unknown argument");
    };
    let pad = match rest.first() {
        None => ' ',
        Some(Value::String(p)) if p.chars().count() == 1 => p.chars().next().unwrap_or(' '),
        _ => return bad(text, "has a padding that is not one character"),
    };
    match as_int(width) {
        Some(w) if (0..=16_384).contains(&w) => {
            let len = x.chars().count();
            let mut out: String =
                std::iter::repeat_n(pad, (w as usize).saturating_sub(len)).collect();
            out.push_str(&x);
            s(out)
        }
        _ => bad(text, "has an invalid total length"),
    }
}

/// Case-insensitive prefix/suffix tests.
fn text_test(a: &str, b: &str, f: impl Fn(&str, &str) -> bool) -> Value {
    Value::Bool(f(&a.to_lowercase(), &b.to_lowercase()))
}
