//! The two deterministic hash functions of ARM templates: `uniqueString()` and `guid()`, whose
//! version-5 UUID Terraform's `uuidv5` shares.
//!
//! `uniqueString` follows the reference, section 7.3 (a 64-bit MurmurHash3 variant rendered as 13
//! base-32 characters), checked against a value recorded from the real ARM engine.
//!
//! `guid` is a name-based (version 5) UUID, RFC 4122 section 4.3: SHA-1 over the namespace
//! `11fb06fb-712d-4ddd-98c7-e71bbd588830` followed by the UTF-8 arguments joined with `-`.
//! Microsoft documents only "RFC 4122 §4.3, from GuidUtility with some modifications"; the
//! namespace and the `-` separator come from several independent public reimplementations that
//! agree with each other (used to pre-compute role-assignment names that ARM then matches).

use sha1::{Digest, Sha1};

/// ARM `uniqueString(args...)`: 13 characters from `[a-z2-7]`.
pub fn unique_string(args: &[&str]) -> String {
    let hash = murmur64(args.join("-").as_bytes());
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut h = hash;
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        out.push(char::from(ALPHABET[(h >> 59) as usize]));
        h <<= 5;
    }
    out
}

/// The hash behind `uniqueString`: MurmurHash3 x86-style mixing of two 32-bit lanes.
fn murmur64(data: &[u8]) -> u64 {
    const C1: u32 = 0x239B_961B;
    const C2: u32 = 0xAB0E_9789;
    let mix1 = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mix2 = |k: u32| k.wrapping_mul(C2).rotate_left(17).wrapping_mul(C1);
    let le = |b: &[u8]| {
        b.iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc | u32::from(x) << (8 * i))
    };

    let (mut h1, mut h2) = (0u32, 0u32);
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let (k1, k2) = (le(&block[..4]), le(&block[4..]));
        h1 = (h1 ^ mix1(k1)).rotate_left(19).wrapping_add(h2);
        h1 = h1.wrapping_mul(5).wrapping_add(0x561C_CD1B);
        h2 = (h2 ^ mix2(k2)).rotate_left(13).wrapping_add(h1);
        h2 = h2.wrapping_mul(5).wrapping_add(0x0BCA_A747);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let (first, rest) = tail.split_at(tail.len().min(4));
        h1 ^= mix1(le(first));
        if !rest.is_empty() {
            h2 ^= mix2(le(rest));
        }
    }

    let len = data.len() as u32;
    h2 ^= len;
    h1 = (h1 ^ len).wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix32(h1);
    h2 = fmix32(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (u64::from(h2) << 32) | u64::from(h1)
}

fn fmix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 13;
    x = x.wrapping_mul(0xC2B2_AE35);
    x ^= x >> 16;
    x
}

/// ARM `guid(args...)`: lower-case `8-4-4-4-12` version-5 UUID (see the module comment).
pub fn guid(args: &[&str]) -> String {
    const NAMESPACE: [u8; 16] = [
        0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88,
        0x30,
    ];
    uuid_v5(&NAMESPACE, args.join("-").as_bytes())
}

/// The RFC 4122 version-5 UUID of `name` in `namespace`, lower-case `8-4-4-4-12`: SHA-1 over
/// both, with the version and variant bits set. ARM's `guid` and Terraform's `uuidv5`.
pub fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let digest = Sha1::new()
        .chain_update(namespace)
        .chain_update(name)
        .finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0F) | 0x50;
    b[8] = (b[8] & 0x3F) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_string_matches_the_arm_engine() {
        assert_eq!(
            unique_string(&[
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myRg"
            ]),
            "js26ofeqkqeve"
        );
    }

    #[test]
    fn unique_string_shape_and_arguments() {
        for input in ["", "a", "abcdefg", "abcdefgh", "abcdefghijkl"] {
            let s = unique_string(&[input]);
            assert_eq!(s.len(), 13);
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)));
        }
        // Arguments are joined with '-', and the input is case-sensitive.
        assert_eq!(unique_string(&["a", "b"]), unique_string(&["a-b"]));
        assert_ne!(unique_string(&["a", "b"]), unique_string(&["ab"]));
        assert_ne!(unique_string(&["myRg"]), unique_string(&["myrg"]));
    }

    #[test]
    fn guid_is_a_version_5_uuid_over_the_arm_namespace() {
        // Expected values computed independently with Python:
        // uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), 'a-b')
        let g = guid(&["a", "b"]);
        assert_eq!(g, "2d796349-8c7e-55ec-9624-54ece82ed031");
        assert_eq!(guid(&["a-b"]), g);
        assert_ne!(guid(&["ab"]), g);
        assert_eq!(&g[14..15], "5");
    }
}
