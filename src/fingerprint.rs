//! Finding fingerprints: stable across line shifts, shared by baselines, SARIF
//! `partialFingerprints` and GitLab `fingerprint`, so that a baselined finding and a code scanning
//! alert are the same finding.

use crate::diagnostic::Finding;
use crate::source::SourceMap;

/// A stable identity for a finding: FNV-1a 64 over the rule id, resource address, attribute and
/// the display path of its file (with `/` separators; addresses repeat across Terraform scopes,
/// `azurerm_container_registry.acr` in two folders), as 16 hex digits. The one definition for
/// baselines, SARIF `partialFingerprints` and GitLab `fingerprint`.
pub fn fingerprint(sources: &SourceMap, f: &Finding) -> String {
    let path = sources
        .get(f.primary.span.file)
        .display()
        .replace('\\', "/");
    fingerprint_of(&[f.rule, &f.resource, &f.attribute, &path])
}

/// FNV-1a (64 bit) over the parts, each followed by a NUL so that ("ab","c") and ("a","bc") differ.
/// A non-cryptographic hash is enough: fingerprints identify findings, they do not defend against
/// anyone, and the algorithm is fixed here so fingerprints never change with a dependency update.
pub fn fingerprint_of(parts: &[&str]) -> String {
    let bytes = parts.iter().flat_map(|p| p.bytes().chain([0]));
    format!("{:016x}", fnv1a64(bytes))
}

fn fnv1a64(bytes: impl Iterator<Item = u8>) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_reference_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a64("".bytes()), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64("a".bytes()), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64("foobar".bytes()), 0x8594_4171_f739_67e8);
        assert_ne!(fingerprint_of(&["ab", "c"]), fingerprint_of(&["a", "bc"]));
        assert_eq!(fingerprint_of(&["a"]).len(), 16);
    }
}
