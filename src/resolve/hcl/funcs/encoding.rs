//! Encoding functions: JSON, Base64 and URL query escaping.

use super::{fits, not_a};
use crate::resolve::hcl::coerce::{deep_unknown, to_str, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Value};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use compact_str::CompactString;

/// Go's `base64.StdEncoding`, which Terraform uses: the standard alphabet, padding required, and
/// (not being `Strict`) the unused bits of the last character ignored.
const STD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

pub(super) fn jsonencode(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let v = &a[0].value;
    if let Some(u) = deep_unknown(v) {
        return Err(Halt::Unknown(u));
    }
    Ok(Value::String(CompactString::from(
        to_json(v, 0)?.to_string(),
    )))
}

pub(super) fn jsondecode(a: &[Node], sp: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    let json = crate::load::json::parse(&s)
        .map_err(|e| Halt::Err(format!("invalid JSON: {}", e.message)))?;
    Ok(Value::from_json(&json, sp))
}

pub(super) fn base64encode(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    fits(lim, s.len().div_ceil(3) as u64 * 4)?;
    Ok(Value::String(base64_of(s.as_bytes()).into()))
}

pub(super) fn base64decode(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    // Go's decoder skips line breaks wherever they are.
    let text: Vec<u8> = s.bytes().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
    let bytes = STD
        .decode(text)
        .map_err(|_| Halt::Err("the string is not valid Base64".into()))?;
    let decoded = String::from_utf8(bytes).map_err(|_| {
        Halt::Err("the result of decoding the provided string is not valid UTF-8".into())
    })?;
    Ok(Value::String(decoded.into()))
}

pub(super) fn base64_of(bytes: &[u8]) -> String {
    STD.encode(bytes)
}

/// `urlencode`: Go's `url.QueryEscape`. Letters, digits and `-_.~` stay, a space becomes `+`,
/// every other byte of the UTF-8 text becomes `%XX`.
pub(super) fn urlencode(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    let kept = |b: u8| b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
    let escaped = s.bytes().filter(|&b| !kept(b) && b != b' ').count();
    fits(lim, (s.len() + 2 * escaped) as u64)?;
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() + 2 * escaped);
    for b in s.bytes() {
        match b {
            _ if kept(b) => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.extend([
                '%',
                char::from(HEX[usize::from(b >> 4)]),
                char::from(HEX[usize::from(b & 15)]),
            ]),
        }
    }
    Ok(Value::String(out.into()))
}

/// The value as Terraform encodes it in JSON.
pub(super) fn to_json(v: &Value, depth: usize) -> Fx<serde_json::Value> {
    if depth > 256 {
        return Err(Halt::Err("the value is nested too deeply".into()));
    }
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => (*n as i64).into(),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .ok_or_else(|| Halt::Err("the number cannot be encoded".into()))?,
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::List(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|n| to_json(&n.value, depth + 1))
                .collect::<Fx<_>>()?,
        ),
        Value::Object(m) => {
            // Terraform encodes object attributes in lexical order.
            let mut sorted: Vec<&(CompactString, Node)> = m.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = serde_json::Map::new();
            for (k, n) in sorted {
                out.insert(k.to_string(), to_json(&n.value, depth + 1)?);
            }
            serde_json::Value::Object(out)
        }
        other => return Err(not_a("known value", other)),
    })
}
