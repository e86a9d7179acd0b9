//! Hash and crypto functions: the digests of a string's UTF-8 bytes (hex or Base64) and
//! name-based UUIDs. Terraform computes them at plan time, so names and `for_each` keys built
//! with them are known. `bcrypt` and `uuid` change on every run (see `VOLATILE`); the `file*`
//! variants read files, which acrlint does not.

use super::encoding::base64_of;
use crate::resolve::hcl::coerce::{to_str, Fx, Halt, Limits};
use crate::resolve::unique_string::uuid_v5;
use crate::source::Span;
use crate::value::{Node, Value};
use ::md5::Md5;
use ::sha1::Sha1;
use compact_str::CompactString;
use sha2::{Digest, Sha256, Sha512};

pub(super) fn md5(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    hex_digest::<Md5>(a)
}

pub(super) fn sha1(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    hex_digest::<Sha1>(a)
}

pub(super) fn sha256(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    hex_digest::<Sha256>(a)
}

pub(super) fn sha512(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    hex_digest::<Sha512>(a)
}

pub(super) fn base64sha256(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    Ok(Value::String(
        base64_of(&Sha256::digest(s.as_bytes())).into(),
    ))
}

pub(super) fn base64sha512(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    Ok(Value::String(
        base64_of(&Sha512::digest(s.as_bytes())).into(),
    ))
}

fn hex_digest<D: Digest>(a: &[Node]) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    Ok(Value::String(hex(&D::digest(s.as_bytes()))))
}

fn hex(bytes: &[u8]) -> CompactString {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The namespaces RFC 4122 assigns, by the keywords Terraform accepts for them.
const NAMESPACES: [(&str, [u8; 16]); 4] = [
    ("dns", ns(0x10)),
    ("url", ns(0x11)),
    ("oid", ns(0x12)),
    ("x500", ns(0x14)),
];

/// `6ba7b8XX-9dad-11d1-80b4-00c04fd430c8`: the RFC's namespaces differ in one byte.
const fn ns(byte: u8) -> [u8; 16] {
    [
        0x6b, 0xa7, 0xb8, byte, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ]
}

/// `uuidv5(namespace, name)`: RFC 4122 section 4.3, over the name's UTF-8 bytes.
pub(super) fn uuidv5(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (namespace, name) = (to_str(&a[0].value)?, to_str(&a[1].value)?);
    let ns = match NAMESPACES.iter().find(|(k, _)| *k == namespace) {
        Some((_, bytes)) => *bytes,
        None => parse_uuid(&namespace).ok_or_else(|| {
            Halt::Err(format!(
                "the namespace \"{namespace}\" is not dns, url, oid, x500 or a UUID"
            ))
        })?,
    };
    Ok(Value::String(uuid_v5(&ns, name.as_bytes()).into()))
}

/// A UUID in the forms Terraform's parser (Go's google/uuid) reads: `8-4-4-4-12` hex digits of
/// either case, the same after `urn:uuid:` (any case) or inside braces, or 32 bare digits. Like
/// that parser, it takes any first and last character for the braces.
fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let s = s.as_bytes();
    let digits: Vec<u8> = match s.len() {
        32 => s.to_vec(),
        36 | 38 | 45 => {
            let body = match s.len() {
                38 => &s[1..37],
                45 if s[..9].eq_ignore_ascii_case(b"urn:uuid:") => &s[9..],
                45 => return None,
                _ => s,
            };
            if [8, 13, 18, 23].iter().any(|&i| body[i] != b'-') {
                return None;
            }
            body.iter().copied().filter(|&c| c != b'-').collect()
        }
        _ => return None,
    };
    if digits.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        *byte = (hi * 16 + lo) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_parse_in_every_form_terraform_reads() {
        let want = Some(ns(0x11));
        for s in [
            "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
            "6BA7B811-9DAD-11D1-80B4-00C04FD430C8",
            "{6ba7b811-9dad-11d1-80b4-00c04fd430c8}",
            "URN:uuid:6ba7b811-9dad-11d1-80b4-00c04fd430c8",
            "6ba7b8119dad11d180b400c04fd430c8",
        ] {
            assert_eq!(parse_uuid(s), want, "{s}");
        }
        for s in [
            "",
            "6ba7b811-9dad-11d1-80b4-00c04fd430c",
            "6ba7b811-9dad-11d1-80b400c04fd430c8a",
            "6ba7b811-9dad-11d1-80b4-00c04fd430cg",
            "urn:uid:-6ba7b811-9dad-11d1-80b4-00c04fd430c8",
            "6ba7b811-9dad-11d1-80b4-00c04fd430c8-",
            "+6ba7b8119dad11d180b400c04fd430c8",
            // Multi-byte characters have 36 bytes but not the layout.
            "é6ba7b811-9dad-11d1-80b4-00c04fd430",
        ] {
            assert_eq!(parse_uuid(s), None, "{s}");
        }
    }
}
