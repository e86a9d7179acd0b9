//! String functions.

use super::encoding::to_json;
use super::{charge, fits, list, str_node, NODE};
use crate::resolve::hcl::coerce::{
    deep_unknown, deployment_text, fmt_num, shallow_unknown, to_bool, to_int, to_num, to_str, Fx,
    Halt, Limits,
};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;

/// Largest compiled regular expression (bytes), so hostile patterns stay cheap.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

pub(super) fn format(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    Ok(Value::text(format_values(
        &to_str(&a[0].value)?,
        &a[1..],
        lim,
        0,
    )?))
}

pub(super) fn formatlist(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let fmt = to_str(&a[0].value)?;
    let mut len: Option<usize> = None;
    for n in &a[1..] {
        if let Value::List(items) = &n.value {
            if len.is_some_and(|l| l != items.len()) {
                return Err(Halt::Err("the lists must have the same length".into()));
            }
            len = Some(items.len());
        } else if let Some(u) = shallow_unknown(&n.value) {
            return Err(Halt::Unknown(u));
        }
    }
    let len = len.unwrap_or(1);
    charge(lim, len)?;
    let mut out = Vec::with_capacity(len);
    // Bytes of the strings already formatted, so each row is checked against what remains.
    let mut produced = 0u64;
    for i in 0..len {
        let row: Vec<Node> = a[1..]
            .iter()
            .map(|n| match &n.value {
                Value::List(items) => items[i].clone(),
                _ => n.clone(),
            })
            .collect();
        let text = format_values(&fmt, &row, lim, produced)?;
        produced += text.len() as u64 + NODE;
        out.push(str_node(text.into(), sp));
    }
    Ok(Value::List(out))
}

pub(super) fn lower(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(
        to_str(&a[0].value)?.as_str().to_lowercase().into(),
    ))
}

pub(super) fn upper(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(
        to_str(&a[0].value)?.as_str().to_uppercase().into(),
    ))
}

pub(super) fn title(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(CompactString::from(title_case(&to_str(
        &a[0].value,
    )?))))
}

pub(super) fn chomp(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(CompactString::from(
        to_str(&a[0].value)?.trim_end_matches(['\n', '\r']),
    )))
}

pub(super) fn trimspace(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(CompactString::from(
        to_str(&a[0].value)?.trim(),
    )))
}

pub(super) fn strrev(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(to_str(&a[0].value)?.chars().rev().collect()))
}

pub(super) fn trim(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, cut) = two_strs(a)?;
    Ok(Value::String(CompactString::from(
        s.trim_matches(|c| cut.contains(c)),
    )))
}

pub(super) fn trimprefix(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, p) = two_strs(a)?;
    Ok(Value::String(CompactString::from(
        s.strip_prefix(p.as_str()).unwrap_or(&s),
    )))
}

pub(super) fn trimsuffix(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, p) = two_strs(a)?;
    Ok(Value::String(CompactString::from(
        s.strip_suffix(p.as_str()).unwrap_or(&s),
    )))
}

pub(super) fn startswith(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, p) = two_strs(a)?;
    Ok(Value::Bool(s.starts_with(p.as_str())))
}

pub(super) fn endswith(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, p) = two_strs(a)?;
    Ok(Value::Bool(s.ends_with(p.as_str())))
}

pub(super) fn strcontains(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (s, p) = two_strs(a)?;
    Ok(Value::Bool(s.contains(p.as_str())))
}

pub(super) fn split(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let (sep, s) = two_strs(a)?;
    let parts: Vec<Node> = if sep.is_empty() {
        s.chars()
            .map(|c| str_node(CompactString::from(c.to_string()), sp))
            .collect()
    } else {
        s.split(sep.as_str())
            .map(|p| str_node(p.into(), sp))
            .collect()
    };
    charge(lim, parts.len())?;
    Ok(Value::List(parts))
}

pub(super) fn join(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let sep = to_str(&a[0].value)?;
    let mut parts = Vec::new();
    let mut len = 0u64;
    for l in &a[1..] {
        for n in list(&l.value)? {
            let p = to_str(&n.value)?;
            len += (p.len() + sep.len()) as u64;
            fits(lim, len)?;
            parts.push(p);
        }
    }
    Ok(Value::String(CompactString::from(parts.join(&sep))))
}

pub(super) fn replace(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let (s, from, to) = (
        to_str(&a[0].value)?,
        to_str(&a[1].value)?,
        to_str(&a[2].value)?,
    );
    Ok(
        match from.strip_prefix('/').and_then(|f| f.strip_suffix('/')) {
            Some(pattern) if from.len() > 1 => {
                Value::String(regex_replace(&compile(pattern)?, &s, &to, lim)?.into())
            }
            _ if from.is_empty() => Value::String(s),
            _ => {
                let found = s.matches(from.as_str()).count() as u64;
                let len = (s.len() as u64 - found * from.len() as u64)
                    .saturating_add(found.saturating_mul(to.len() as u64));
                fits(lim, len)?;
                Value::String(CompactString::from(
                    s.as_str().replace(from.as_str(), to.as_str()),
                ))
            }
        },
    )
}

/// Replace every match of `re` (group references such as `$1` expanded), checking each
/// expansion against the byte budget before building it: a group is part of its match, so one
/// expansion is at most the replacement with each `$` standing for the whole match.
fn regex_replace(re: &regex::Regex, s: &str, to: &str, lim: &mut Limits) -> Fx<String> {
    let refs = to.matches('$').count() as u64;
    let mut out = String::new();
    let mut last = 0;
    for c in re.captures_iter(s) {
        let Some(m) = c.get(0) else { continue };
        let most = (to.len() as u64).saturating_add(refs.saturating_mul(m.len() as u64));
        fits(
            lim,
            (out.len() as u64)
                .saturating_add((m.start() - last) as u64)
                .saturating_add(most),
        )?;
        out.push_str(s.get(last..m.start()).unwrap_or_default());
        c.expand(to, &mut out);
        last = m.end();
    }
    out.push_str(s.get(last..).unwrap_or_default());
    Ok(out)
}

pub(super) fn substr(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    let (off, len) = (to_int(&a[1].value)?, to_int(&a[2].value)?);
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len() as i64;
    let start = if off < 0 { n + off } else { off };
    if start < 0 || start > n {
        return Err(Halt::Err("offset is out of range".into()));
    }
    let end = if len < 0 { n } else { (start + len).min(n) };
    Ok(Value::String(
        chars[start as usize..end as usize].iter().collect(),
    ))
}

pub(super) fn regex(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    matches(a, sp, lim)?
        .into_iter()
        .next()
        .ok_or_else(|| Halt::Err("the pattern did not match".into()))
}

pub(super) fn regexall(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    Ok(Value::List(
        matches(a, sp, lim)?
            .into_iter()
            .map(|v| Node::new(v, sp))
            .collect(),
    ))
}

fn two_strs(a: &[Node]) -> Fx<(CompactString, CompactString)> {
    Ok((to_str(&a[0].value)?, to_str(&a[1].value)?))
}

/// Every match of the pattern `a[0]` in the string `a[1]`.
fn matches(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Vec<Value>> {
    let (pattern, s) = two_strs(a)?;
    let re = compile(&pattern)?;
    let found: Vec<Value> = re
        .captures_iter(&s)
        .map(|c| captures(&re, &c, sp))
        .collect();
    charge(lim, found.len())?;
    Ok(found)
}

fn compile(pattern: &str) -> Fx<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| Halt::Err(format!("invalid regular expression: {e}")))
}

/// A match as Terraform returns it: the matched text without groups, a list for unnamed groups,
/// an object for named groups.
fn captures(re: &regex::Regex, c: &regex::Captures, sp: Option<Span>) -> Value {
    let text = |m: Option<regex::Match>| match m {
        Some(m) => str_node(CompactString::from(m.as_str()), sp),
        None => Node::new(Value::Null, sp),
    };
    if c.len() == 1 {
        return Value::String(CompactString::from(c.get(0).map_or("", |m| m.as_str())));
    }
    if re.capture_names().flatten().next().is_some() {
        Value::Object(
            re.capture_names()
                .flatten()
                .map(|n| (n.into(), text(c.name(n))))
                .collect(),
        )
    } else {
        Value::List((1..c.len()).map(|i| text(c.get(i))).collect())
    }
}

/// Upper-case the first letter of each word, leaving the rest as written (Go's strings.Title).
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if in_word {
            out.push(c);
        } else {
            out.extend(c.to_uppercase());
        }
        in_word = c.is_alphanumeric() || c == '_';
    }
    out
}

/// Go-style `format` verbs as Terraform supports them: `%s %d %f %g %e %t %v %q %x %X %o %b %%`,
/// with flags, width, precision and `%[n]` argument indexes. `before` bytes were produced by the
/// same call already (earlier rows of `formatlist`): padding and precision are checked against
/// the byte budget with them before they are built.
fn format_values(fmt: &str, args: &[Node], lim: &mut Limits, before: u64) -> Fx<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ 0#".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            let n: usize = digits
                .parse()
                .map_err(|_| Halt::Err("invalid argument index".into()))?;
            next_arg = n
                .checked_sub(1)
                .ok_or_else(|| Halt::Err("invalid argument index".into()))?;
        }
        let width = digits(&mut chars);
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(digits(&mut chars).unwrap_or(0))
        } else {
            None
        };
        let verb = chars
            .next()
            .ok_or_else(|| Halt::Err("the format ends inside a verb".into()))?;
        let arg = args
            .get(next_arg)
            .ok_or_else(|| Halt::Err("not enough arguments for the format".into()))?;
        next_arg += 1;
        let v = &arg.value;
        // `%s` of an attribute known after apply is its term, as in a template
        // (`"${x.id}/subnets/pe"`).
        let plain = verb == 's' && flags.is_empty() && width.is_none() && precision.is_none();
        if let Some(text) = deployment_text(v).filter(|_| plain) {
            out.push_str(&text);
            continue;
        }
        if let Some(u) = deep_unknown(v) {
            return Err(Halt::Unknown(u));
        }
        let numeric = matches!(verb, 'd' | 'f' | 'g' | 'e' | 'x' | 'X' | 'o' | 'b');
        let mut text = match verb {
            's' => {
                let s = to_str(v)?;
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.into(),
                }
            }
            'v' => match v {
                Value::List(_) | Value::Object(_) => to_json(v, 0)?.to_string(),
                _ => to_str(v)?.into(),
            },
            'q' => serde_json::Value::String(to_str(v)?.into()).to_string(),
            't' => to_bool(v)?.to_string(),
            'd' => to_int(v)?.to_string(),
            'f' | 'e' => {
                let p = precision.unwrap_or(6);
                fits(lim, before + (out.len() + p) as u64)?;
                fixed_or_exp(to_num(v)?, p, verb == 'e')
            }
            'g' => fmt_num(to_num(v)?),
            'x' => format!("{:x}", to_int(v)?),
            'X' => format!("{:X}", to_int(v)?),
            'o' => format!("{:o}", to_int(v)?),
            'b' => format!("{:b}", to_int(v)?),
            other => return Err(Halt::Err(format!("unsupported format verb %{other}"))),
        };
        if numeric && flags.contains('+') && !text.starts_with('-') {
            text.insert(0, '+');
        }
        if let Some(w) = width {
            let len = text.chars().count();
            if len < w {
                let pad = w - len;
                fits(lim, before + (out.len() + text.len() + pad) as u64)?;
                if flags.contains('-') {
                    text.push_str(&" ".repeat(pad));
                } else if flags.contains('0') && numeric {
                    let sign = if text.starts_with(['-', '+']) { 1 } else { 0 };
                    text.insert_str(sign, &"0".repeat(pad));
                } else {
                    text.insert_str(0, &" ".repeat(pad));
                }
            }
        }
        fits(lim, before + (out.len() + text.len()) as u64)?;
        out.push_str(&text);
    }
    Ok(out)
}

/// Digits after the point past which an `f64` has only zeros (its exact decimal expansion ends
/// within 1,074 places), and past which Rust's formatting would refuse the precision.
const MAX_DIGITS: usize = 1100;

/// `%.pf` / `%.pe` for any precision: Rust formats up to [`MAX_DIGITS`] places, the rest are
/// zeros appended (a finite number has no other digits there).
fn fixed_or_exp(n: f64, precision: usize, exp: bool) -> String {
    let p = precision.min(MAX_DIGITS);
    let mut text = match exp {
        true => format!("{n:.p$e}"),
        false => format!("{n:.p$}"),
    };
    let extra = precision - p;
    if extra > 0 && n.is_finite() {
        let at = match exp {
            true => text.find('e').unwrap_or(text.len()),
            false => text.len(),
        };
        text.insert_str(at, &"0".repeat(extra));
    }
    text
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<usize> {
    let mut s = String::new();
    while let Some(&d) = chars.peek() {
        if d.is_ascii_digit() && s.len() < 6 {
            s.push(d);
            chars.next();
        } else {
            break;
        }
    }
    s.parse().ok()
}
